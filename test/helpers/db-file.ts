// Reading a figure from a SQLite file that another process (a crm-bridge
// server a test runs, and may kill) is writing.
import fs from 'node:fs';
import Database from 'better-sqlite3';

/** One figure read from the database file as it is on disk; undefined until the file and its schema are there. */
export function figure(dbFile: string, sql: string, ...params: unknown[]): number | string | undefined {
  if (!fs.existsSync(dbFile)) return undefined;
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).pluck().get(...params) as number | string | null) ?? undefined;
  } catch {
    return undefined; // the schema is not there yet
  } finally {
    db.close();
  }
}
