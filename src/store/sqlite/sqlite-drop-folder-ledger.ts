// DropFolderLedger on better-sqlite3: exchange_files, one row per claim,
// linked to its batch, and the outcome totals. Runs inside the store's
// transactions (sqlite-store.ts); progress is counted from the batches.
import type Database from 'better-sqlite3';
import type {
  ExchangeFile,
  ExchangeLedger,
  FileError,
  FileOutcome,
  Inheritance,
  LastFileError,
  StoredClaim,
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
      recordExchangeOutcome: db.prepare(`INSERT INTO exchange_files
        (claim, name, claimed_at, outcome, finished_at, error_code, error_message, error_at, error_seq)
        VALUES (@claim, @name, @claimedAt, @outcome, @now, @code, @message, @errorAt,
          CASE WHEN @code IS NULL THEN NULL ELSE (SELECT coalesce(max(error_seq), 0) + 1 FROM exchange_files WHERE error_seq IS NOT NULL) END)
        ON CONFLICT (claim) DO UPDATE SET outcome = excluded.outcome, finished_at = excluded.finished_at,
          error_code = coalesce(excluded.error_code, exchange_files.error_code),
          error_message = coalesce(excluded.error_message, exchange_files.error_message),
          error_at = coalesce(excluded.error_at, exchange_files.error_at),
          error_seq = coalesce(excluded.error_seq, exchange_files.error_seq)`),
      countOutcome: db.prepare('UPDATE exchange_outcomes SET files = files + 1 WHERE outcome = ?'),
      failExchangeFile: db.prepare(`INSERT INTO exchange_files (claim, name, claimed_at, error_code, error_message, error_at, error_seq)
        VALUES (@claim, @name, @claimedAt, @code, @message, @now, (SELECT coalesce(max(error_seq), 0) + 1 FROM exchange_files WHERE error_seq IS NOT NULL))
        ON CONFLICT (claim) DO UPDATE SET error_code = excluded.error_code, error_message = excluded.error_message,
          error_at = excluded.error_at, error_seq = excluded.error_seq`),
      outcomes: db.prepare('SELECT outcome, files FROM exchange_outcomes'),
      lastFileError: db.prepare(`SELECT name, error_at, error_code, error_message FROM exchange_files
        WHERE error_seq IS NOT NULL ORDER BY error_seq DESC LIMIT 1`),
      batchOfClaim: db.prepare('SELECT batch_key FROM exchange_files WHERE claim = ? AND batch_key IS NOT NULL').pluck(),
      setExchangeLease: db.prepare(`INSERT INTO exchange_files (claim, name, claimed_at, lease_until)
        VALUES (@claim, @name, @claimedAt, @leaseUntil)
        ON CONFLICT (claim) DO UPDATE SET lease_until = excluded.lease_until`),
      exchangeClaim: db.prepare(`SELECT e.lease_until, e.batch_key, e.outcome, e.finished_at, e.taken_over_by,
          b.lease_until AS batch_lease_until
        FROM exchange_files e LEFT JOIN batches b ON b.batch_key = e.batch_key WHERE e.claim = ?`),
      succeedExchangeClaim: db.prepare(`INSERT INTO exchange_files (claim, name, claimed_at, batch_key, outcome, finished_at, lease_until)
        VALUES (@claim, @name, @claimedAt, @batchKey, @outcome, @finishedAt, @leaseUntil)
        ON CONFLICT (claim) DO UPDATE SET batch_key = excluded.batch_key, outcome = excluded.outcome,
          finished_at = excluded.finished_at, lease_until = excluded.lease_until`),
      retireExchangeClaim: db.prepare(`INSERT INTO exchange_files (claim, name, claimed_at, taken_over_by)
        VALUES (@claim, @name, @claimedAt, @takenOverBy)
        ON CONFLICT (claim) DO UPDATE SET taken_over_by = excluded.taken_over_by`),
    };
  }

  startFile(file: ExchangeFile, batchKey: string): void {
    this.stmt.startExchangeFile.run({ ...file, batchKey });
  }

  recordOutcome(file: ExchangeFile, outcome: FileOutcome, now: string, error?: FileError): void {
    this.stmt.recordExchangeOutcome.run({
      ...file,
      outcome,
      now,
      code: error?.code ?? null,
      message: error?.message ?? null,
      errorAt: error === undefined ? null : now,
    });
  }

  countOutcome(outcome: FileOutcome): void {
    this.stmt.countOutcome.run(outcome);
  }

  failFile(file: ExchangeFile, error: FileError, now: string): void {
    this.stmt.failExchangeFile.run({ ...file, code: error.code, message: error.message, now });
  }

  setLease(file: ExchangeFile, leaseUntil: string): void {
    this.stmt.setExchangeLease.run({ ...file, leaseUntil });
  }

  recordSuccessor(to: ExchangeFile, inherited: Inheritance, leaseUntil: string): void {
    this.stmt.succeedExchangeClaim.run({
      ...to,
      batchKey: inherited.batchKey ?? null,
      outcome: inherited.outcome ?? null,
      finishedAt: inherited.finishedAt ?? null,
      leaseUntil,
    });
  }

  retire(from: ExchangeFile, takenOverBy: string): void {
    this.stmt.retireExchangeClaim.run({ ...from, takenOverBy });
  }

  read(claims: readonly string[]): ExchangeLedger {
    const files: Partial<Record<FileOutcome, number>> = {};
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

  storedClaim(claim: string): StoredClaim | undefined {
    const row = this.stmt.exchangeClaim.get(claim) as ClaimRow | undefined;
    return row === undefined ? undefined : {
      leaseUntil: row.lease_until ?? undefined,
      batchLeaseUntil: row.batch_lease_until ?? undefined,
      batchKey: row.batch_key ?? undefined,
      outcome: row.outcome ?? undefined,
      finishedAt: row.finished_at ?? undefined,
      takenOverBy: row.taken_over_by ?? undefined,
    };
  }
}
