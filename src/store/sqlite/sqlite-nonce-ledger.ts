// The NonceLedger in the SQLite store (migration 005): one row per accepted
// nonce, expired rows swept every so many claims. Claims are group-committed
// (group-commit.ts) in write transactions of their own (so through the write
// lock when several worker processes share the file): the claims that arrive
// while the event loop is busy share one COMMIT and its fsync, and each is
// answered only once that COMMIT has returned, so an accepted nonce is as
// durable as before. One transaction per claim spent ~64 % of a digest
// request's event loop in COMMIT (a WAL fsync each): GetCustomer with a
// PasswordDigest token ran at 0.14-0.3× its no-auth throughput.
// A transaction never spans an await.
import type Database from 'better-sqlite3';
import type { NonceLedger } from '../nonce-ledger.js';
import { GroupCommit } from './group-commit.js';
import { transactionRunners } from './in-transaction.js';
import type { WriteTransaction } from './write-transaction.js';

/** Sweep expired nonces once every this many claims. */
const SWEEP_EVERY = 256;

export class SqliteNonceLedger implements NonceLedger {
  private readonly forgetOne: Database.Statement<[{ nonce: string; now: number }]>;
  private readonly insert: Database.Statement<[{ nonce: string; expiresAt: number }]>;
  private readonly sweep: Database.Statement<[{ now: number }]>;
  private readonly group: GroupCommit;
  private claims = 0;

  constructor(db: Database.Database, write: WriteTransaction) {
    this.forgetOne = db.prepare('DELETE FROM nonces WHERE nonce = @nonce AND expires_at <= @now');
    this.insert = db.prepare('INSERT OR IGNORE INTO nonces (nonce, expires_at) VALUES (@nonce, @expiresAt)');
    this.sweep = db.prepare('DELETE FROM nonces WHERE expires_at <= @now');
    // Each claim in a savepoint of its own: one that fails leaves the others of its group to commit.
    this.group = new GroupCommit(write, transactionRunners(db).run, () => undefined);
  }

  claim(nonce: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    const sweep = ++this.claims % SWEEP_EVERY === 0;
    // Claims of one nonce in one group run one after the other: the first inserts, the next finds its row.
    return this.group.run(() => {
      if (sweep) this.sweep.run({ now: nowMs });
      else this.forgetOne.run({ nonce, now: nowMs });
      return this.insert.run({ nonce, expiresAt: expiresAtMs }).changes === 1;
    });
  }
}
