// The drop folder's files as plain data: what became of each file, what the
// store keeps of them, and the status an operator reads (/exchange, /metrics).
// No XML, no file system.
import type { FaultCode } from '../errors.js';
import { leaseFrom } from './batch.js';

/**
 * What became of a file: read (imported, some records failed, or a
 * duplicate), or unreadable (moved to error/: refused as a CustomerBatch, or
 * given up after failing unexpectedly the same way twice).
 */
export type FileOutcome = 'imported' | 'failed-records' | 'duplicate' | 'unreadable';

export const FILE_OUTCOMES: readonly FileOutcome[] = ['imported', 'failed-records', 'duplicate', 'unreadable'];

/** A claimed file as the store knows it: by its claim name in work/, unique per claim. */
export interface ExchangeFile {
  readonly claim: string;
  readonly name: string;
  /** xs:dateTime, UTC. */
  readonly claimedAt: string;
}

/** A claim in work/ as the store knows it, for deciding whether its claimant is gone and whether a finished batch is the file's own. */
export interface ExchangeClaim {
  /**
   * Until when its claimant counts as alive (xs:dateTime, UTC): the lease it
   * renews; for a claim without one (made before claims had leases), its
   * batch's lease; without a batch either, LEASE_MS after it was claimed.
   */
  readonly leaseUntil: string;
  /** The batch importing the file under this claim or one it took over: a DONE batch with this key is the file's own, not a duplicate. */
  readonly batchKey: string | undefined;
  /** Set when the file's outcome was recorded but the file never left work/ (a crash in between). */
  readonly outcome: FileOutcome | undefined;
  /** The claim that took this one over: its claimant has lost the file. */
  readonly takenOverBy: string | undefined;
}

export interface FileError {
  readonly code: FaultCode;
  readonly message: string;
}

export interface LastFileError extends FileError {
  /** The file's own name. */
  readonly file: string;
  /** xs:dateTime, UTC. */
  readonly at: string;
}

/** What the store knows of the drop folder: the same for every instance on the store. */
/** A claim's row in the ledger, as stored: a member never recorded is undefined. */
export interface StoredClaim {
  /** The lease its claimant last renewed. */
  readonly leaseUntil: string | undefined;
  /** The lease of the batch it began (claims made before claims had leases have only that). */
  readonly batchLeaseUntil: string | undefined;
  readonly batchKey: string | undefined;
  readonly outcome: FileOutcome | undefined;
  readonly finishedAt: string | undefined;
  readonly takenOverBy: string | undefined;
}

/** What a claim is, from what the store keeps of it: one never recorded, or recorded without a lease, is as old as its name says. */
export function claimOf(file: ExchangeFile, stored: StoredClaim | undefined): ExchangeClaim {
  return {
    leaseUntil: stored?.leaseUntil ?? stored?.batchLeaseUntil ?? leaseFrom(file.claimedAt),
    batchKey: stored?.batchKey,
    outcome: stored?.outcome,
    takenOverBy: stored?.takenOverBy,
  };
}

/**
 * Whether a file's outcome is to be recorded (and counted): only its first.
 * A file finished again after a crash keeps its first outcome and is counted
 * once; a claim taken over is not finished (its successor is).
 */
export function recordsOutcome(claim: ExchangeClaim): boolean {
  return claim.outcome === undefined && claim.takenOverBy === undefined;
}

/** What a claim taken over passes to its successor: its batch (a DONE one is still the file's) and its outcome (not counted again), unless the successor has its own. */
export type Inheritance = Pick<StoredClaim, 'batchKey' | 'outcome' | 'finishedAt'>;

export function inheritance(prior: StoredClaim | undefined, successor: StoredClaim | undefined): Inheritance {
  return {
    batchKey: successor?.batchKey ?? prior?.batchKey,
    outcome: successor?.outcome ?? prior?.outcome,
    finishedAt: successor?.finishedAt ?? prior?.finishedAt,
  };
}

/** Every outcome with its count, zero for those the store has none of. */
export function outcomeCounts(counted: Partial<Record<FileOutcome, number>>): Record<FileOutcome, number> {
  return Object.fromEntries(FILE_OUTCOMES.map((o) => [o, counted[o] ?? 0])) as Record<FileOutcome, number>;
}

export interface ExchangeLedger {
  /** Files by outcome, counted once each; an outcome never counted is absent. */
  readonly files: Readonly<Partial<Record<FileOutcome, number>>>;
  readonly lastError: LastFileError | undefined;
  /** Per claim asked for whose batch has begun: records whose results (ATOMIC: staged records) are committed. */
  readonly committed: ReadonlyMap<string, number>;
}

/** CHECKING: pass 1 (structure, content hash; a duplicate is only read); STORING: its batch has begun. */
export type FilePhase = 'CHECKING' | 'STORING';

export interface FileInProgress {
  readonly name: string;
  readonly claimedAt: string;
  readonly host: string;
  readonly pid: number;
  readonly phase: FilePhase;
  readonly recordsCommitted: number;
  /** Bytes of the current pass read; known only to the process reading the file. */
  readonly bytesRead: number | undefined;
  readonly bytes: number;
}

export interface WaitingFile {
  readonly name: string;
  readonly bytes: number;
  /** xs:dateTime, UTC. */
  readonly modifiedAt: string;
}

/**
 * OFF: switched off (CRM_EXCHANGE=off); WATCHING: this process polls inbox/;
 * STOPPED: configured, but this process does not poll it (shutting down).
 */
export type ExchangeState = 'OFF' | 'WATCHING' | 'STOPPED';

export type ExchangeStatus =
  | { readonly state: 'OFF' }
  | {
      readonly state: 'WATCHING' | 'STOPPED';
      readonly folder: string;
      readonly files: Readonly<Record<FileOutcome, number>>;
      /** Oldest claim first. */
      readonly inProgress: readonly FileInProgress[];
      /** Files waiting in inbox/, and the first of them (in the order they are taken) in detail. */
      readonly inbox: { readonly count: number; readonly files: readonly WaitingFile[] };
      readonly lastError: LastFileError | undefined;
    };
