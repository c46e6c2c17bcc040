// DropFolderLedger on better-sqlite3: exchange_files, one row per claim,
// linked to its batch, and the outcome totals. Runs inside the store's
// transactions (sqlite-store.ts); progress is counted from the batches.
import type Database from 'better-sqlite3';
import { leaseFrom } from '../../domain/batch.js';
import {
  FILE_OUTCOMES,
  type ExchangeClaim,
  type ExchangeFile,
  type ExchangeLedger,
  type FileError,
  type FileOutcome,
  type LastFileError,
} from '../../domain/drop-folder.js';
import type { FaultCode } from '../../errors.js';
import type { DropFolderLedger } from '../drop-folder-ledger.js';

interface ClaimRow {
  lease_until: string | null;
  batch_key: string | null;
  outcome: FileOutcome | null;
  finished_at: string | null;
  taken_over_by: string | null;
  batch_lease_until: string | null;
}

interface ErrorRow {
  name: string;
  error_at: string;
  error_code: FaultCode;
  error_message: string;
}

export class SqliteDropFolderLedger implements DropFolderLedger {
  private readonly stmt;

  /** `committedOf(batchKey)`: the last record index a batch has committed. */
  constructor(db: Database.Database, private readonly committedOf: (batchKey: string) => number) {
    this.stmt = {
      startExchangeFile: db.prepare(`INSERT INTO exchange_files (claim, name, claimed_at, batch_key)
        VALUES (@claim, @name, @claimedAt, @batchKey)
        ON CONFLICT (claim) DO UPDATE SET batch_key = excluded.batch_key`),
      // Only a file without an outcome gets one: changes = 0 tells the caller not to count it again.
      finishExchangeFile: db.prepare(`INSERT INTO exchange_files
        (claim, name, claimed_at, outcome, finished_at, error_code, error_message, error_at, error_seq)
        VALUES (@claim, @name, @claimedAt, @outcome, @now, @code, @message, @errorAt,
          CASE WHEN @code IS NULL THEN NULL ELSE (SELECT coalesce(max(error_seq), 0) + 1 FROM exchange_files WHERE error_seq IS NOT NULL) END)
        ON CONFLICT (claim) DO UPDATE SET outcome = excluded.outcome, finished_at = excluded.finished_at,
          error_code = coalesce(excluded.error_code, exchange_files.error_code),
          error_message = coalesce(excluded.error_message, exchange_files.error_message),
          error_at = coalesce(excluded.error_at, exchange_files.error_at),
          error_seq = coalesce(excluded.error_seq, exchange_files.error_seq)
        WHERE exchange_files.outcome IS NULL AND exchange_files.taken_over_by IS NULL`),
      countOutcome: db.prepare('UPDATE exchange_outcomes SET files = files + 1 WHERE outcome = ?'),
      failExchangeFile: db.prepare(`INSERT INTO exchange_files (claim, name, claimed_at, error_code, error_message, error_at, error_seq)
        VALUES (@claim, @name, @claimedAt, @code, @message, @now, (SELECT coalesce(max(error_seq), 0) + 1 FROM exchange_files WHERE error_seq IS NOT NULL))
        ON CONFLICT (claim) DO UPDATE SET error_code = excluded.error_code, error_message = excluded.error_message,
          error_at = excluded.error_at, error_seq = excluded.error_seq`),
      outcomes: db.prepare('SELECT outcome, files FROM exchange_outcomes'),
      lastFileError: db.prepare(`SELECT name, error_at, error_code, error_message FROM exchange_files
        WHERE error_seq IS NOT NULL ORDER BY error_seq DESC LIMIT 1`),
      batchOfClaim: db.prepare('SELECT batch_key FROM exchange_files WHERE claim = ? AND batch_key IS NOT NULL').pluck(),
      // A claim taken over is not renewed: changes = 0 tells its claimant it has lost the file.
      holdExchangeClaim: db.prepare(`INSERT INTO exchange_files (claim, name, claimed_at, lease_until)
        VALUES (@claim, @name, @claimedAt, @leaseUntil)
        ON CONFLICT (claim) DO UPDATE SET lease_until = excluded.lease_until
        WHERE exchange_files.taken_over_by IS NULL`),
      exchangeClaim: db.prepare(`SELECT e.lease_until, e.batch_key, e.outcome, e.finished_at, e.taken_over_by,
          b.lease_until AS batch_lease_until
        FROM exchange_files e LEFT JOIN batches b ON b.batch_key = e.batch_key WHERE e.claim = ?`),
      // The successor inherits the batch (so a DONE one is still the file's own) and the outcome (so it is not counted again);
      // its row may exist already (a heartbeat came first, or the takeover is recorded again after a failure).
      succeedExchangeClaim: db.prepare(`INSERT INTO exchange_files (claim, name, claimed_at, batch_key, outcome, finished_at, lease_until)
        VALUES (@claim, @name, @claimedAt, @batchKey, @outcome, @finishedAt, @leaseUntil)
        ON CONFLICT (claim) DO UPDATE SET batch_key = coalesce(exchange_files.batch_key, excluded.batch_key),
          outcome = coalesce(exchange_files.outcome, excluded.outcome),
          finished_at = coalesce(exchange_files.finished_at, excluded.finished_at),
          lease_until = excluded.lease_until`),
      retireExchangeClaim: db.prepare(`INSERT INTO exchange_files (claim, name, claimed_at, taken_over_by)
        VALUES (@claim, @name, @claimedAt, @takenOverBy)
        ON CONFLICT (claim) DO UPDATE SET taken_over_by = excluded.taken_over_by`),
    };
  }

  startFile(file: ExchangeFile, batchKey: string): void {
    this.stmt.startExchangeFile.run({ ...file, batchKey });
  }

  finishFile(file: ExchangeFile, outcome: FileOutcome, now: string, error?: FileError): void {
    const recorded = this.stmt.finishExchangeFile.run({
      ...file,
      outcome,
      now,
      code: error?.code ?? null,
      message: error?.message ?? null,
      errorAt: error === undefined ? null : now,
    });
    if (recorded.changes > 0) this.stmt.countOutcome.run(outcome);
  }

  failFile(file: ExchangeFile, error: FileError, now: string): void {
    this.stmt.failExchangeFile.run({ ...file, code: error.code, message: error.message, now });
  }

  holdClaim(file: ExchangeFile, leaseUntil: string): ExchangeClaim | undefined {
    const held = this.stmt.holdExchangeClaim.run({ ...file, leaseUntil });
    return held.changes === 0 ? undefined : this.claim(file);
  }

  takeOver(from: ExchangeFile, to: ExchangeFile, leaseUntil: string): void {
    const prior = this.stmt.exchangeClaim.get(from.claim) as ClaimRow | undefined;
    this.stmt.succeedExchangeClaim.run({
      ...to,
      batchKey: prior?.batch_key ?? null,
      outcome: prior?.outcome ?? null,
      finishedAt: prior?.finished_at ?? null,
      leaseUntil,
    });
    this.stmt.retireExchangeClaim.run({ ...from, takenOverBy: to.claim });
  }

  read(claims: readonly string[]): ExchangeLedger {
    const files = Object.fromEntries(FILE_OUTCOMES.map((o) => [o, 0])) as Record<FileOutcome, number>;
    for (const row of this.stmt.outcomes.all() as { outcome: FileOutcome; files: number }[]) files[row.outcome] = row.files;
    const last = this.stmt.lastFileError.get() as ErrorRow | undefined;
    const lastError: LastFileError | undefined = last === undefined
      ? undefined
      : { file: last.name, at: last.error_at, code: last.error_code, message: last.error_message };
    const committed = new Map<string, number>();
    for (const claim of claims) {
      const key = this.stmt.batchOfClaim.get(claim) as string | undefined;
      if (key !== undefined) committed.set(claim, this.committedOf(key));
    }
    return { files, lastError, committed };
  }

  /** A claim as the store knows it; one never recorded is as old as its name says. */
  claim(file: ExchangeFile): ExchangeClaim {
    const row = this.stmt.exchangeClaim.get(file.claim) as ClaimRow | undefined;
    return {
      leaseUntil: row?.lease_until ?? row?.batch_lease_until ?? leaseFrom(file.claimedAt),
      batchKey: row?.batch_key ?? undefined,
      outcome: row?.outcome ?? undefined,
      takenOverBy: row?.taken_over_by ?? undefined,
    };
  }
}
