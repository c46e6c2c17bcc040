// What a CLI command works with: the operations' dependencies on the store
// of the configured data folder, the validator, and its two output streams.
import type { WorkerPolicy } from '../import/record-stream.js';
import type { OperationDeps } from '../operations/operation-deps.js';
import type { PayloadValidator } from '../validation/payload-validator.js';

export interface CliContext {
  readonly deps: OperationDeps;
  readonly validator: PayloadValidator;
  /** Whether a large import reads its records in a worker thread. */
  readonly importWorkers: WorkerPolicy;
  /** The most characters one record of a batch may hold (CRM_MAX_RECORD_BYTES). */
  readonly maxRecordBytes: number;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}
