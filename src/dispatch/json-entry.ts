// What the dispatcher needs to run an operation on a JSON body (/api): the
// operation's name (as the stages and operation-access.ts know it), the
// contract type the body must be, how to read the checked value, what runs.
// The operations are the very ones of the SOAP and /xml tables.
import type { RequestDeps } from '../operations/operation-deps.js';
import type { JsonRoot } from '../validation/json-validator.js';

export interface JsonEntry<Req = unknown, Res = unknown> {
  readonly name: string;
  /** The contract type (XSD name) the body is checked as. */
  readonly root: JsonRoot;
  /** Converts the checked value (null and [] members dropped); never re-checks. */
  readonly read: (value: unknown) => Req;
  readonly run: (request: Req, deps: RequestDeps) => Promise<Res>;
}
