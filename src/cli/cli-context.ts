// What a CLI command works with: the operations' dependencies on the store
// of the configured data folder, the validator, and its two output streams.
import type { OperationDeps } from '../operations/operation-deps.js';
import type { PayloadValidator } from '../validation/payload-validator.js';

export interface CliContext {
  readonly deps: OperationDeps;
  readonly validator: PayloadValidator;
  /** Worker threads reading batch records (0: the calling thread). */
  readonly importWorkers: number;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}
