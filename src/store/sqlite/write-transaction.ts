// Every write transaction of the store runs through here, so that its
// statement and savepoint journals stay in memory. SQLite otherwise spills a
// sub-journal past 64 KiB to a temp file, and the savepoint of each grouped
// write and of each batch record did: a raw loop of our inserts, one
// savepoint each, took 173 µs a customer with the spill and 72 µs without.
// Only writes: with temp_store=MEMORY for reads too, a name search matching a
// million customers would sort them all in memory instead of spilling.
// temp_store is read when BEGIN opens the journal, and a PRAGMA takes effect
// when prepared, so it is set by a fresh pragma call each time (the two calls
// measured 4.6-8.2 µs together, once per transaction, not per record).
import type Database from 'better-sqlite3';

export type WriteTransaction = <T>(work: () => T) => T;

export function writeTransaction(db: Database.Database): WriteTransaction {
  return <T>(work: () => T): T => {
    db.pragma('temp_store = MEMORY');
    try {
      return db.transaction(work).immediate();
    } finally {
      db.pragma('temp_store = DEFAULT');
    }
  };
}
