// What became of each claimed drop-folder file: one row per claim, linked to
// its batch, with the lease its claimant renews, takeovers, the outcome
// totals and the last error. Statements only, run inside a unit of work
// (store.ts); the drop folder decides when to record what.
import type { ExchangeFile, ExchangeLedger, FileError, FileOutcome, Inheritance, StoredClaim } from '../domain/drop-folder.js';

export interface LedgerReads {
  /** The claim's row, or undefined when it was never recorded. */
  storedClaim(claim: string): StoredClaim | undefined;
  /** Files by outcome, the last error of any file, and how many records of each of `claims` are committed. */
  read(claims: readonly string[]): ExchangeLedger;
}

export interface DropFolderLedger extends LedgerReads {
  /** A claimed file is being imported as batch `batchKey` (again, when it is resumed). */
  startFile(file: ExchangeFile, batchKey: string): void;
  /** Sets what became of a claimed file, with its error when it was unreadable (an earlier error stays when none is given). */
  recordOutcome(file: ExchangeFile, outcome: FileOutcome, now: string, error?: FileError): void;
  /** Adds one file to the total of `outcome`. */
  countOutcome(outcome: FileOutcome): void;
  /** An unexpected failure while importing a file (it stays in work/): its last error, no outcome. */
  failFile(file: ExchangeFile, error: FileError, now: string): void;
  /** Sets the lease of a claim, recording the claim when it is new. */
  setLease(file: ExchangeFile, leaseUntil: string): void;
  /** Records claim `to` with what it inherits and its lease (its row may exist: then those members are overwritten). */
  recordSuccessor(to: ExchangeFile, inherited: Inheritance, leaseUntil: string): void;
  /** Marks claim `from` as taken over by `takenOverBy`. */
  retire(from: ExchangeFile, takenOverBy: string): void;
}
