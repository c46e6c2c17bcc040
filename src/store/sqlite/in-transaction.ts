// Runs a function in a transaction of the connection: BEGIN when none is
// open, a SAVEPOINT inside one. better-sqlite3's db.transaction(fn) builds
// four wrapper functions and defines their properties on every call; made
// once per connection instead, a read transaction around one statement took
// ~7.2 µs against ~12.5 µs built per call (50,000 calls, four rounds), and
// every search, export page, change page and write transaction paid it.
import type Database from 'better-sqlite3';

export type InTransaction = <T>(work: () => T) => T;

export interface TransactionRunners {
  /** BEGIN (deferred), or a SAVEPOINT when a transaction is open. */
  readonly run: InTransaction;
  /** BEGIN IMMEDIATE: takes SQLite's write lock at once. */
  readonly immediate: InTransaction;
}

export function transactionRunners(db: Database.Database): TransactionRunners {
  const tx = db.transaction((work: () => unknown) => work());
  return {
    run: <T>(work: () => T): T => tx(work) as T,
    immediate: <T>(work: () => T): T => tx.immediate(work) as T,
  };
}
