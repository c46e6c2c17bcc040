// The store boundary. What the store keeps is split by kind (customer-records,
// batch-records, drop-folder-ledger), each a set of statements; the rules that
// decide which statements to run live in domain/ and the operations. A unit
// of work is synchronous: the operation reads, decides and writes inside it,
// and nothing else runs in between (better-sqlite3 holds the transaction for
// exactly that call). The Promise is the boundary, so a store may wait for a
// lock, commit writes in groups, or (PostgreSQL) run the unit on a connection
// of its own. Statements raise the contract's typed errors where the store is
// the one to know (DuplicateExternalIdError from a unique index).
import type { BatchReads, BatchRecords } from './batch-records.js';
import type { CustomerReads, CustomerRecords } from './customer-records.js';
import type { DropFolderLedger, LedgerReads } from './drop-folder-ledger.js';

export interface ReadUnit {
  readonly customers: CustomerReads;
  readonly batches: BatchReads;
  readonly ledger: LedgerReads;
}

export interface WriteUnit {
  readonly customers: CustomerRecords;
  readonly batches: BatchRecords;
  readonly ledger: DropFolderLedger;
  /**
   * Runs `work` so that its writes can be undone alone: they are when it
   * throws (and the error goes on to the caller), or when `keep` says so of
   * its value; the rest of the unit stays either way.
   */
  attempt<T>(work: () => T, keep?: (value: T) => boolean): T;
}

/**
 * What a write is, for the store to commit it well. `single`: one customer's
 * create, update or delete, answered once durable; it may share its commit
 * with other single writes, and when it throws only its own writes are
 * undone. `bulk`: a batch chunk, hundreds of records at once. Anything else
 * (batch bookkeeping, the drop folder's ledger) says nothing.
 */
export type WriteKind = 'single' | 'bulk';

export interface Store {
  /** Runs `work` in one write transaction; settles once it has committed (or rolled back, with its error). */
  write<T>(work: (unit: WriteUnit) => T, kind?: WriteKind): Promise<T>;
  /** Runs `work` in one read transaction: every statement in it reads one snapshot. */
  read<T>(work: (unit: ReadUnit) => T): Promise<T>;
  /** Observes how many single writes each commit carried: stores that commit them in groups say so here. */
  onCommit?(listener: (writes: number) => void): void;
  /** Throws when the database cannot be read (for /health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
