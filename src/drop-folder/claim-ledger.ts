// The drop folder's rules over its ledger of claims, each applied inside one
// unit of work of the store (read, decide, write, with nothing in between):
// the store keeps the rows (store/drop-folder-ledger.ts), domain/drop-folder.ts
// says what they mean, and these functions decide which statements to run.
import { claimOf, inheritance, recordsOutcome, type ExchangeClaim, type ExchangeFile, type FileError, type FileOutcome } from '../domain/drop-folder.js';
import type { DropFolderLedger, LedgerReads } from '../store/drop-folder-ledger.js';

/** What the store knows of a claim; one never recorded is as old as its name says. */
export function knownClaim(ledger: LedgerReads, file: ExchangeFile): ExchangeClaim {
  return claimOf(file, ledger.storedClaim(file.claim));
}

/**
 * Holds a claimed file until `leaseUntil`, recording the claim when it is
 * new, and answers what the store knows of it; undefined when the claim was
 * taken over: its claimant has lost the file and must stop (it is not renewed).
 */
export function holdClaim(ledger: DropFolderLedger, file: ExchangeFile, leaseUntil: string): ExchangeClaim | undefined {
  const claim = knownClaim(ledger, file);
  if (claim.takenOverBy !== undefined) return undefined;
  ledger.setLease(file, leaseUntil);
  return { ...claim, leaseUntil };
}

/**
 * What became of a claimed file, with its error when it was unreadable:
 * recorded and counted only when it is the file's first outcome and the
 * claim was not taken over (domain: recordsOutcome).
 */
export function finishFile(ledger: DropFolderLedger, file: ExchangeFile, outcome: FileOutcome, now: string, error?: FileError): void {
  if (!recordsOutcome(knownClaim(ledger, file))) return;
  ledger.recordOutcome(file, outcome, now, error);
  ledger.countOutcome(outcome);
}

/**
 * The file of claim `from` was renamed to claim `to` by an instance taking
 * it over: `to` inherits its batch and outcome (keeping its own where it has
 * them: a heartbeat came first, or the takeover is recorded again after a
 * failure) and is held until `leaseUntil`; `from` names `to` as its successor
 * and can no longer be held or finished.
 */
export function takeOver(ledger: DropFolderLedger, from: ExchangeFile, to: ExchangeFile, leaseUntil: string): void {
  ledger.recordSuccessor(to, inheritance(ledger.storedClaim(from.claim), ledger.storedClaim(to.claim)), leaseUntil);
  ledger.retire(from, to.claim);
}
