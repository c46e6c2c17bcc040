// UpsertCustomers / CustomerBatch as plain data: what comes in, what the
// report says. Shared by the SOAP operation and, later, streamed batches.
import type { CustomerInput } from './customer.js';
import type { FaultCode } from '../errors.js';
import type { RunningBatch } from './lease-holder.js';

/**
 * How long a running batch, or a claimed drop-folder file, may go without a
 * sign of life before another process may take it over: a chunk stored, or
 * the claim renewed (every LEASE_MS / 4).
 */
export const LEASE_MS = 60_000;

/** The end of a lease begun at `now` (an ISO timestamp). */
export function leaseFrom(now: string): string {
  return new Date(Date.parse(now) + LEASE_MS).toISOString();
}

export type BatchMode = 'PARTIAL' | 'ATOMIC';
export type RecordStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'FAILED';
/** A record's error: a contract code, or ROLLED_BACK for an innocent record of a failed ATOMIC batch. */
export type RecordErrorCode = FaultCode | 'ROLLED_BACK';

export interface RecordError {
  readonly code: RecordErrorCode;
  readonly message: string;
  /** Where a record of a JSON batch breaks a rule: JSON Pointers relative to the record (/api's report lists them). */
  readonly errors?: readonly RecordErrorDetail[] | undefined;
}

export interface RecordErrorDetail {
  readonly path: string;
  readonly message: string;
}

/** One input record: read when it passed the schema, else the reason it failed. */
export interface BatchRecord {
  /** 1-based position in the batch. */
  readonly index: number;
  readonly input?: CustomerInput | undefined;
  readonly error?: RecordError | undefined;
  /** For the report when the record could not be read. */
  readonly externalId?: string | undefined;
}

export interface BatchRequest {
  readonly batchId?: string | undefined;
  readonly mode: BatchMode;
  /** Identifies the body, so a re-sent batchId with other content is told apart. */
  readonly fingerprint: string;
  readonly records: readonly BatchRecord[];
}

export interface RecordResult {
  readonly index: number;
  readonly externalId?: string | undefined;
  readonly id?: string | undefined;
  readonly status: RecordStatus;
  readonly error?: RecordError | undefined;
}

export interface BatchReport {
  readonly batchId?: string | undefined;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly results: readonly RecordResult[];
}

/** A report without its results (they are read page by page for big batches). */
export type BatchSummary = Omit<BatchReport, 'results'>;

/** How a batch begins: a new one, one already done under the same batchId, or one someone alive is importing. */
export type BatchStart =
  /**
   * resumeAfter: records up to this index are stored already (a batch whose
   * process died); readThrough: the fingerprint they were read with, when known.
   */
  | { readonly state: 'NEW'; readonly key: string; readonly resumeAfter: number; readonly readThrough?: ReadThrough | undefined }
  | { readonly state: 'DONE'; readonly key: string; readonly fingerprint: string }
  /** Running under a lease the caller may not take (see domain/lease-holder.ts); nothing changed. */
  | { readonly state: 'HELD'; readonly key: string; readonly running: RunningBatch };

/** The records of one transaction of a streamed batch, and the batch's fingerprint up to the last of them. */
export interface RecordGroup {
  readonly records: readonly BatchRecord[];
  readonly readThrough: string;
}

/**
 * How far a running batch's records were read and stored, and the
 * fingerprint of the records up to there (the batch fingerprint's prefix):
 * what holds a resumed batch to the content it began with.
 */
export interface ReadThrough {
  readonly index: number;
  readonly fingerprint: string;
}

/** A batch as the store keeps it: its mode, state, counts and who holds it while it runs. */
export interface StoredBatch {
  readonly key: string;
  readonly batchId: string | undefined;
  readonly mode: BatchMode;
  readonly state: 'RUNNING' | 'DONE';
  /** Set once DONE: tells a replay of the same body from other content under the same batchId. */
  readonly fingerprint: string | undefined;
  readonly summary: BatchSummary;
  readonly running: RunningBatch;
  /** Written with each stored chunk; undefined before the first, and for batches begun before migration 008. */
  readonly readThrough: ReadThrough | undefined;
}
