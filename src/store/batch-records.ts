// The batches the store keeps: each one's mode, state, lease and holder,
// counts and per-record results, and the records an ATOMIC batch stages until
// it finishes. Statements only, run inside a unit of work (store.ts); the
// life of a batch and its rules are the operations' (batch-session.ts).
import type { BatchMode, BatchRecord, ReadThrough, RecordResult, StoredBatch } from '../domain/batch.js';
import type { ResultCounts } from '../domain/batch-outcome.js';
import type { LeaseHolder } from '../domain/lease-holder.js';

export interface NewBatch {
  readonly key: string;
  readonly batchId: string | undefined;
  readonly mode: BatchMode;
  readonly now: string;
  readonly leaseUntil: string;
  readonly holder: LeaseHolder;
}

export interface BatchReads {
  get(key: string): StoredBatch | undefined;
  byBatchId(batchId: string): StoredBatch | undefined;
  /** The last record index the batch has stored or staged (0: none). */
  lastIndex(key: string): number;
  /** Results with index > afterIndex, in index order, at most `limit`. */
  results(key: string, afterIndex: number, limit: number): RecordResult[];
}

export interface BatchRecords extends BatchReads {
  /** A RUNNING batch, held by `batch.holder` until `batch.leaseUntil`. */
  insert(batch: NewBatch): void;
  /** Holds the batch until `leaseUntil`, by `holder` when it changes hands. */
  hold(key: string, leaseUntil: string, holder?: LeaseHolder): void;
  /** The records up to `through.index` are stored (with this write), read with `through.fingerprint`. */
  readThrough(key: string, through: ReadThrough): void;
  /** Adds results (replacing any of the same index) and their counts to the batch's. */
  addResults(key: string, results: readonly RecordResult[], counts: ResultCounts): void;
  /** Keeps records unapplied until the batch finishes (ATOMIC). */
  stage(key: string, records: readonly BatchRecord[]): void;
  /** The staged records, in index order. */
  staged(key: string): BatchRecord[];
  unstage(key: string): void;
  /** DONE, with the fingerprint a replay is told by. */
  finish(key: string, fingerprint: string, now: string): void;
  /** The batch with its results and staged records. */
  delete(key: string): void;
}
