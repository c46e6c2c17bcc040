// Every write transaction of the store runs through here: it takes the write
// lock (write-lock.ts; nothing to wait for in one process), and keeps its
// statement and savepoint journals in memory. SQLite otherwise spills a
// sub-journal past 64 KiB to a temp file, and the savepoint of each grouped
// write and of each batch record did: a raw loop of our inserts, one
// savepoint each, took 173 µs a customer with the spill and 72 µs without.
// Only writes: with temp_store=MEMORY for reads too, a name search matching a
// million customers would sort them all in memory instead of spilling.
// temp_store is read when BEGIN opens the journal, and a PRAGMA takes effect
// when prepared, so it is set by a fresh pragma call each time (the two calls
// measured 4.6-8.2 µs together, once per transaction, not per record).
import type Database from 'better-sqlite3';
import { transactionRunners } from './in-transaction.js';
import { singleProcess, type WriteLock } from './write-lock.js';

/** `bulk`: a batch chunk, which commits thousands of pages at a time (see BULK_CHECKPOINT_PAGES). */
export type WriteTransaction = <T>(work: () => T, bulk?: boolean) => Promise<T>;

/**
 * WAL pages after which a bulk commit checkpoints, instead of SQLite's 1000.
 * A checkpoint runs in the committing call and fsyncs the database file; a
 * chunk of 1000 customers added 300-450 pages to the WAL (its first ten
 * chunks), so at 1000 every second or third chunk waited for one. Storing 100k customers through the store: ~57 µs a
 * customer at 1000 pages, 50-54 at 4000, 50-51 with none at all (three
 * alternating runs; the CPU was the same, the difference was waiting). The
 * WAL then grows to ~16 MiB during an import, and a large batch empties it
 * when it ends.
 */
export const BULK_CHECKPOINT_PAGES = 4000;

export function writeTransaction(db: Database.Database, lock: WriteLock = singleProcess): WriteTransaction {
  const usual = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  const { immediate } = transactionRunners(db);
  const run = <T>(work: () => T, bulk: boolean): T => {
    db.pragma('temp_store = MEMORY');
    if (bulk) db.pragma(`wal_autocheckpoint = ${BULK_CHECKPOINT_PAGES}`);
    try {
      return immediate(work);
    } finally {
      db.pragma('temp_store = DEFAULT');
      if (bulk) db.pragma(`wal_autocheckpoint = ${usual}`);
      lock.release();
    }
  };
  return async <T>(work: () => T, bulk = false): Promise<T> => {
    const turn = lock.acquire();
    // In one process the transaction runs now, in the caller's tick, as before the lock.
    if (turn !== undefined) await turn;
    return run(work, bulk);
  };
}
