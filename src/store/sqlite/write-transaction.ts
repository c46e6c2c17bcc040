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
import { singleProcess, type WriteLock } from './write-lock.js';

export type WriteTransaction = <T>(work: () => T) => Promise<T>;

export function writeTransaction(db: Database.Database, lock: WriteLock = singleProcess): WriteTransaction {
  const run = <T>(work: () => T): T => {
    db.pragma('temp_store = MEMORY');
    try {
      return db.transaction(work).immediate();
    } finally {
      db.pragma('temp_store = DEFAULT');
      lock.release();
    }
  };
  return async <T>(work: () => T): Promise<T> => {
    const turn = lock.acquire();
    // In one process the transaction runs now, in the caller's tick, as before the lock.
    if (turn !== undefined) await turn;
    return run(work);
  };
}
