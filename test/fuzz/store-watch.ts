// Sees whether a request changed the store, two independent ways, so that a
// refusal that changed anything is caught:
// - every row inserted, updated or deleted, logged by triggers into a table
//   of the test's own database (not TEMP ones: the store sets temp_store
//   around every write transaction, which drops every temporary object); a
//   rolled-back write leaves no row, so a refusal that undid its own writes
//   changed nothing;
// - a summary of the customer data read back (counts, the sum of versions,
//   the last change), which also sees writes made through any other connection.
// The nonce ledger is left out: a nonce is spent by a request that
// authenticated, whatever happens to the request next (contract: accepted once).
import type Database from 'better-sqlite3';

/** Tables whose writes are not the customer data a refusal must leave alone. */
const IGNORED = new Set(['nonces', 'schema_migrations', 'fuzz_writes']);

export class StoreWatch {
  private readonly count: Database.Statement;
  private readonly tables: Database.Statement;
  private readonly summary: Database.Statement;

  constructor(db: Database.Database) {
    const names = db.prepare(`SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'`).pluck().all() as string[];
    const virtual = db.prepare(`SELECT name FROM main.sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'`).pluck().all() as string[];
    // An FTS table's shadow tables change with the customers, whose own triggers already show it.
    const watched = names.filter((n) => !IGNORED.has(n) && !virtual.some((v) => n.startsWith(`${v}_`)));
    if (!watched.includes('customers') || !watched.includes('change_log')) throw new Error(`unexpected schema: ${names.join(', ')}`);
    db.exec('CREATE TABLE IF NOT EXISTS fuzz_writes (tbl TEXT NOT NULL, op TEXT NOT NULL)');
    for (const table of watched) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(`CREATE TRIGGER IF NOT EXISTS fuzz_watch_${table}_${op.toLowerCase()} AFTER ${op} ON ${table} BEGIN INSERT INTO fuzz_writes VALUES ('${table}', '${op}'); END`);
      }
    }
    this.count = db.prepare('SELECT count(*) FROM fuzz_writes').pluck();
    this.tables = db.prepare('SELECT tbl || \' \' || op || \' x\' || count(*) FROM fuzz_writes WHERE rowid > ? GROUP BY tbl, op').pluck();
    this.summary = db.prepare(`SELECT json_array(
      (SELECT count(*) FROM customers), (SELECT total(version) FROM customers), (SELECT max(updated_at) FROM customers),
      (SELECT count(*) FROM addresses), (SELECT count(*) FROM contacts), (SELECT coalesce(max(seq), 0) FROM change_log),
      (SELECT count(*) FROM batches), (SELECT count(*) FROM batch_results), (SELECT count(*) FROM batch_staging))`).pluck();
  }

  /** Where the store is now. */
  mark(): { readonly writes: number; readonly summary: string } {
    return { writes: this.count.get() as number, summary: this.summary.get() as string };
  }

  /** What changed since `before`, in words; undefined when nothing did. */
  changedSince(before: { readonly writes: number; readonly summary: string }): string | undefined {
    const now = this.mark();
    if (now.writes === before.writes && now.summary === before.summary) return undefined;
    const rows = (this.tables.all(before.writes) as string[]).join(', ');
    return `rows written: ${rows || 'none'}; summary ${before.summary} -> ${now.summary}`;
  }
}
