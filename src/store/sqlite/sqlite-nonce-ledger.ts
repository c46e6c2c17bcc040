// The NonceLedger in the SQLite store (migration 005): one row per accepted
// nonce, claimed in a write transaction (so through the write lock when
// several worker processes share the file), expired rows swept every so many
// claims. A transaction never spans an await.
import type Database from 'better-sqlite3';
import type { NonceLedger } from '../nonce-ledger.js';
import type { WriteTransaction } from './write-transaction.js';

/** Sweep expired nonces once every this many claims. */
const SWEEP_EVERY = 256;

export class SqliteNonceLedger implements NonceLedger {
  private readonly forgetOne: Database.Statement<[{ nonce: string; now: number }]>;
  private readonly insert: Database.Statement<[{ nonce: string; expiresAt: number }]>;
  private readonly sweep: Database.Statement<[{ now: number }]>;
  private claims = 0;

  constructor(
    db: Database.Database,
    private readonly write: WriteTransaction,
  ) {
    this.forgetOne = db.prepare('DELETE FROM nonces WHERE nonce = @nonce AND expires_at <= @now');
    this.insert = db.prepare('INSERT OR IGNORE INTO nonces (nonce, expires_at) VALUES (@nonce, @expiresAt)');
    this.sweep = db.prepare('DELETE FROM nonces WHERE expires_at <= @now');
  }

  claim(nonce: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    const sweep = ++this.claims % SWEEP_EVERY === 0;
    return this.write(() => {
      if (sweep) this.sweep.run({ now: nowMs });
      else this.forgetOne.run({ nonce, now: nowMs });
      return this.insert.run({ nonce, expiresAt: expiresAtMs }).changes === 1;
    });
  }
}
