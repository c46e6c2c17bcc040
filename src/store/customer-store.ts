// The store boundary: one method per unit of work, each its own transaction,
// asynchronous so that a networked implementation (PostgreSQL, for several
// instances on one store) can sit beside the SQLite one. Methods raise the
// contract's typed errors (NotFoundError, VersionConflictError, ...).
import type { BatchMode, BatchRecord, BatchStart, BatchSummary, RecordResult } from '../domain/batch.js';
import type { ChangesPage } from '../domain/changes.js';
import type { Customer, CustomerInput } from '../domain/customer.js';
import type { ExchangeClaim, ExchangeFile, ExchangeLedger, FileError, FileOutcome } from '../domain/drop-folder.js';
import type { LeaseHolder, RunningBatch } from '../domain/lease-holder.js';
import type { SearchPage, SearchQuery } from '../domain/search.js';

export type ChangeKind = 'CREATED' | 'UPDATED' | 'DELETED';

export interface CustomerStore {
  /** Stores a new customer with the given id and timestamp; DUPLICATE_EXTERNAL_ID when taken. */
  createCustomer(input: CustomerInput, id: string, now: string): Promise<Customer>;
  getCustomerById(id: string): Promise<Customer | undefined>;
  getCustomerByExternalId(externalId: string): Promise<Customer | undefined>;
  /**
   * Replaces the customer `input.id` if its stored version is `input.version`:
   * NOT_FOUND, VERSION_CONFLICT or DUPLICATE_EXTERNAL_ID otherwise.
   */
  updateCustomer(input: CustomerInput & { id: string; version: number }, now: string): Promise<Customer>;
  /**
   * Deletes the customer with its addresses and contacts; NOT_FOUND when there
   * is none, VERSION_CONFLICT when `expectedVersion` is given and not current.
   */
  deleteCustomer(id: string, now: string, expectedVersion?: number): Promise<void>;
  /** One page of the customers matching every filter, ordered by id, with the total count. */
  searchCustomers(query: SearchQuery): Promise<SearchPage>;
  /** Up to `limit` customers with an id after `afterId` ('' = from the start), ordered by id: export pages. */
  listCustomers(afterId: string, limit: number, updatedSince?: string): Promise<Customer[]>;
  /** Changes with a stamp after `sinceStamp` (microseconds; 0 = from the beginning), at most `limit`. */
  getChanges(sinceStamp: number, limit: number): Promise<ChangesPage>;
  /**
   * Starts batch `key`, held by `holder` (recorded with its lease). With a
   * batchId already DONE, answers DONE and its fingerprint (the caller
   * replays or refuses). One RUNNING is shown to `mayResume`, in the same
   * transaction: when it answers true, `holder` takes the batch over and
   * resumes it (the records stored before stay, with their results, and
   * resumeAfter says where to go on); otherwise the answer is HELD, with who
   * holds it until when, and nothing changes. The store only records and
   * reads the holder; the caller decides (domain/lease-holder.ts).
   */
  beginBatch(key: string, batchId: string | undefined, mode: BatchMode, now: string, holder: LeaseHolder, mayResume: (running: RunningBatch) => boolean): Promise<BatchStart>;
  /**
   * Adds records, in input order (each sees the ones before it). PARTIAL: each
   * record that succeeds is stored, with every record's result, in one
   * transaction. ATOMIC: records are staged until finishBatch.
   */
  applyBatchChunk(key: string, records: readonly BatchRecord[], now: string, newId: () => string): Promise<void>;
  /** Ends a batch (ATOMIC: applies all or nothing now) and records its fingerprint. */
  finishBatch(key: string, fingerprint: string, now: string, newId: () => string): Promise<BatchSummary>;
  batchSummary(key: string): Promise<BatchSummary>;
  /** Results with index > afterIndex, in index order, at most `limit`. */
  batchResults(key: string, afterIndex: number, limit: number): Promise<RecordResult[]>;
  /** Drops a batch sent without batchId once its report has been read. */
  forgetBatch(key: string): Promise<void>;
  /**
   * Observes how many single-record writes (create, update, delete) each
   * commit carried: stores that commit them in groups say so here.
   */
  onCommit?(listener: (writes: number) => void): void;
  /** A claimed drop-folder file is being imported as batch `batchKey` (again, when it is resumed). */
  startExchangeFile(file: ExchangeFile, batchKey: string): Promise<void>;
  /**
   * What became of a claimed file, with its error when it was unreadable.
   * Recorded once: a file finished again after a crash keeps its first outcome
   * and is counted once; a claim taken over is not finished (its successor is).
   */
  finishExchangeFile(file: ExchangeFile, outcome: FileOutcome, now: string, error?: FileError): Promise<void>;
  /** An unexpected failure while importing a file (it stays in work/): its last error, no outcome. */
  failExchangeFile(file: ExchangeFile, error: FileError, now: string): Promise<void>;
  /**
   * Holds a claimed file for another lease (LEASE_MS from `now`), recording
   * the claim when it is new, and answers what the store knows of it;
   * undefined when the claim was taken over: its claimant has lost the file
   * and must stop.
   */
  holdExchangeClaim(file: ExchangeFile, now: string): Promise<ExchangeClaim | undefined>;
  /** What the store knows of a claim in work/ (nothing changes). */
  readExchangeClaim(file: ExchangeFile): Promise<ExchangeClaim>;
  /**
   * The file of claim `from` was renamed to claim `to` by an instance taking
   * it over: `to` inherits its batch and outcome and holds a fresh lease;
   * `from` names `to` as its successor and can no longer be held or finished.
   */
  takeOverExchangeClaim(from: ExchangeFile, to: ExchangeFile, now: string): Promise<void>;
  /** Files by outcome, the last error of any file, and how many records of each of `claims` are committed. */
  exchangeLedger(claims: readonly string[]): Promise<ExchangeLedger>;
  /** Throws when the database cannot be read (for /health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
