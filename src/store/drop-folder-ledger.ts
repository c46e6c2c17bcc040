// What became of each claimed drop-folder file: one row per claim, linked to
// its batch, with the lease its claimant renews, takeovers, the outcome
// totals and the last error. Statements only, run inside a unit of work
// (store.ts); the drop folder decides when to record what.
import type { ExchangeClaim, ExchangeFile, ExchangeLedger, FileError, FileOutcome } from '../domain/drop-folder.js';

export interface LedgerReads {
  /** What the store knows of a claim; one never recorded is as old as its name says. */
  claim(file: ExchangeFile): ExchangeClaim;
  /** Files by outcome, the last error of any file, and how many records of each of `claims` are committed. */
  read(claims: readonly string[]): ExchangeLedger;
}

export interface DropFolderLedger extends LedgerReads {
  /** A claimed file is being imported as batch `batchKey` (again, when it is resumed). */
  startFile(file: ExchangeFile, batchKey: string): void;
  /**
   * What became of a claimed file, with its error when it was unreadable.
   * Recorded once: a file finished again after a crash keeps its first
   * outcome and is counted once; a claim taken over is not finished (its
   * successor is).
   */
  finishFile(file: ExchangeFile, outcome: FileOutcome, now: string, error?: FileError): void;
  /** An unexpected failure while importing a file (it stays in work/): its last error, no outcome. */
  failFile(file: ExchangeFile, error: FileError, now: string): void;
  /**
   * Holds a claimed file until `leaseUntil`, recording the claim when it is
   * new, and answers what the store knows of it; undefined when the claim was
   * taken over: its claimant has lost the file and must stop.
   */
  holdClaim(file: ExchangeFile, leaseUntil: string): ExchangeClaim | undefined;
  /**
   * The file of claim `from` was renamed to claim `to` by an instance taking
   * it over: `to` inherits its batch and outcome and is held until
   * `leaseUntil`; `from` names `to` as its successor and can no longer be held
   * or finished.
   */
  takeOver(from: ExchangeFile, to: ExchangeFile, leaseUntil: string): void;
}
