// dispatch: resolve the operation by the payload's root QName, validate the
// whole message against the XSD, read the request, run the operation and hand
// back a writer for the response wrapper. Knows nothing about SOAP or HTTP.
import { UnknownOperationError, ValidationFailedError } from '../errors.js';
import type { OperationDeps } from '../operations/operation-deps.js';
import type { PayloadValidator } from '../validation/payload-validator.js';
import type { XmlParent } from '../xml/build.js';
import type { XmlElement } from '../xml/dom.js';
import { NS, SOAP_ACTION_PREFIX } from '../xml/namespaces.js';
import { OPERATIONS, type OperationEntry } from './operation-table.js';

export interface Message {
  /** What is validated: the SOAP Envelope, or a bare document's root. */
  readonly root: XmlElement;
  /** The bytes as sent: schema error positions refer to them. */
  readonly source: Uint8Array;
  readonly payload: XmlElement;
}

export interface Dispatched<Res = unknown> {
  readonly operation: string;
  readonly result: Res;
  readonly writeResponse: (parent: XmlParent) => void;
}

export class Dispatcher {
  constructor(
    private readonly validator: PayloadValidator,
    private readonly deps: OperationDeps,
  ) {}

  /** The operation a payload names; UNKNOWN_OPERATION when none, or when the action disagrees. */
  resolve(payload: XmlElement, action: string): OperationEntry {
    const local = payload.name;
    const entry = payload.namespaceUri === NS.crm ? OPERATIONS.get(local) : undefined;
    if (entry === undefined) {
      throw new UnknownOperationError(
        `{${payload.namespaceUri}}${local} is not an operation of CustomerService; expected one of ${[...OPERATIONS.keys()].join(', ')} in namespace ${NS.crm}`,
      );
    }
    // Routing is by the payload; a header naming another operation is refused, never followed.
    if (action !== '' && action !== SOAP_ACTION_PREFIX + entry.name) {
      throw new UnknownOperationError(
        `The SOAP action '${action}' does not match the payload ${entry.name}; expected '${SOAP_ACTION_PREFIX}${entry.name}' or none`,
      );
    }
    return entry;
  }

  /** Runs `entry` (from resolve) on `message`: validate -> read -> operation -> writer. */
  async dispatch<Req, Res>(entry: OperationEntry<Req, Res>, message: Message): Promise<Dispatched<Res>> {
    // A batch wrapper is checked whole but its records one by one, so that one
    // bad record fails alone instead of turning the whole batch away.
    const errors = entry.recordWise
      ? this.validator.validateWrapper(message.root, message.source)
      : this.validator.validate(message.root, message.source);
    if (errors.length > 0) {
      throw new ValidationFailedError(
        `The message fails the schema with ${errors.length} error${errors.length === 1 ? '' : 's'}; the first: ${errors[0]?.message ?? ''}`,
        errors,
      );
    }
    const request = entry.read(message.payload, {
      validateRecord: (record) => this.validator.validateRecord(record, message.source),
    });
    const result = await entry.run(request, this.deps);
    return { operation: entry.name, result, writeResponse: (parent) => entry.write(parent, result) };
  }
}
