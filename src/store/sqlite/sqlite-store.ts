// The Store on better-sqlite3: one connection, its statements prepared once
// (customers, batches, the drop folder's ledger), and how its transactions
// commit. A unit of work runs synchronously inside one transaction (a
// transaction never spans an await); write transactions are IMMEDIATE, so a
// second process on the same file (the CLI beside the server) waits for the
// lock instead of failing half-way. The tuning is this file's and its
// neighbours': single writes committed in groups (group-commit.ts), journals
// in memory and fewer checkpoints for bulk writes (write-transaction.ts), set
// inserts (set-writes.ts), the WAL emptied after a large batch (below).
import type Database from 'better-sqlite3';
import type { ReadUnit, Store, WriteKind, WriteUnit } from '../store.js';
import { GroupCommit } from './group-commit.js';
import { transactionRunners, type InTransaction } from './in-transaction.js';
import { SqliteBatchRecords } from './sqlite-batch-records.js';
import { SqliteCustomerRecords } from './sqlite-customer-records.js';
import { SqliteDropFolderLedger } from './sqlite-drop-folder-ledger.js';
import { singleProcess, type WriteLock } from './write-lock.js';
import { writeTransaction, type WriteTransaction } from './write-transaction.js';

/** Records from which a finished or deleted batch empties the WAL (emptyWal). */
const LARGE_BATCH = 10_000;

/** Thrown inside an attempt whose value is not kept, to roll it back; never leaves this module. */
class Undo extends Error {}

export class SqliteStore implements Store {
  private readonly customers: SqliteCustomerRecords;
  private readonly unit: WriteUnit;
  /** Runs a function in a read transaction, or in a SAVEPOINT inside a write. */
  private readonly inTransaction: InTransaction;
  private readonly transaction: WriteTransaction;
  /** Single writes, committed in groups: one fsync for every write that arrived meanwhile. */
  private readonly group: GroupCommit;
  private readonly pingStatement: Database.Statement;
  /** Set while a write transaction runs when it finished or deleted a large batch. */
  private largeBatchWritten = false;

  /** `lock`: when several processes write to this database (CRM_WORKERS), the turn-taking between them. */
  constructor(private readonly db: Database.Database, lock: WriteLock = singleProcess) {
    this.customers = new SqliteCustomerRecords(db);
    const batches = new SqliteBatchRecords(db, (records) => {
      if (records >= LARGE_BATCH) this.largeBatchWritten = true;
    });
    const ledger = new SqliteDropFolderLedger(db, (key) => batches.lastIndex(key));
    this.inTransaction = transactionRunners(db).run;
    this.unit = { customers: this.customers, batches, ledger, attempt: (work, keep) => this.attempt(work, keep) };
    this.transaction = writeTransaction(db, lock);
    this.group = new GroupCommit(this.transaction, this.inTransaction, () => this.customers.beginWrite());
    this.pingStatement = db.prepare('SELECT 1');
  }

  async write<T>(work: (unit: WriteUnit) => T, kind?: WriteKind): Promise<T> {
    if (kind === 'single') return this.group.run(() => work(this.unit));
    let large = false;
    const value = await this.transaction(() => {
      this.customers.beginWrite();
      this.largeBatchWritten = false;
      const result = work(this.unit);
      large = this.largeBatchWritten;
      return result;
    }, kind === 'bulk');
    if (large) this.emptyWal();
    return value;
  }

  async read<T>(work: (unit: ReadUnit) => T): Promise<T> {
    return this.inTransaction(() => work(this.unit));
  }

  onCommit(listener: (writes: number) => void): void {
    this.group.onCommit(listener);
  }

  async ping(): Promise<void> {
    this.pingStatement.get();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** A SAVEPOINT: released when `work` returns a value to keep, rolled back when it throws or not. */
  private attempt<T>(work: () => T, keep?: (value: T) => boolean): T {
    if (keep === undefined) return this.inTransaction(work);
    let kept: { value: T } | undefined;
    try {
      return this.inTransaction(() => {
        kept = { value: work() };
        if (!keep(kept.value)) throw new Undo();
        return kept.value;
      });
    } catch (err) {
      if (!(err instanceof Undo) || kept === undefined) throw err;
      return kept.value;
    }
  }

  /**
   * Copies the WAL into the database and truncates it. After a large import
   * the WAL holds thousands of frames until the next write restarts it, and
   * every page read looks through them: GET /xml/export of 1M customers right
   * after importing them took 72 s, 21 s from a fresh process, and with the
   * WAL emptied at 100k customers 3.5 s instead of 7.2 s.
   */
  private emptyWal(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
