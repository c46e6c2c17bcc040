// The watched drop folder of the batch file exchange: which files this
// instance takes, and when. A file that appears in inbox/ and has stopped
// changing is claimed by an atomic rename (so two instances never take the
// same file); a file left in work/ by a claimant that is gone is taken over,
// again by an atomic rename, and finished where it stopped; a file that
// failed unexpectedly is tried again on a later poll, unless it failed the
// same way twice in a row: then it is given up, to error/ with its report. The claims it holds are
// renewed in the store, which is how other instances know it is alive. What
// happens to a claimed file (import, report, outcome, archive/ or error/) is
// claimed-file.ts; while a file is read, this process knows how far.
import { knownClaim, takeOver } from './claim-ledger.js';
import fs from 'node:fs';
import path from 'node:path';
import { LEASE_MS, leaseFrom } from '../domain/batch.js';
import type { ExchangeFile, FileOutcome } from '../domain/drop-folder.js';
import { faultFor } from '../fault.js';
import { ClaimTakenOverError } from '../errors.js';
import { ClaimLeases } from './claim-leases.js';
import { claimantGone } from './claim-takeover.js';
import { thisProcess, type Claimant } from '../this-process.js';
import { processClaimedFile, setAside, type ClaimedFileContext, type ImportSettings } from './claimed-file.js';
import { claimName, isCandidate, parseClaim, type Claim } from './folder-names.js';
import { RetrySchedule } from './retry-schedule.js';

export interface DropFolderOptions extends ImportSettings {
  readonly root: string;
  /** A file must keep its size and mtime this long before it is taken. */
  readonly stableMs: number;
  /** The host and process claims are made as (default: this one; tests play others). */
  readonly claimant?: Claimant;
}

/** What the operator view needs from the drop folder a process runs, beyond the store and the folders. */
export interface LocalDropFolder {
  /** True while watch() polls. */
  readonly watching: boolean;
  /** Bytes read so far in the current pass of a file this process imports, by its claim name in work/. */
  bytesRead(claim: string): number | undefined;
}

/** A file in work/ this instance is to process: claimed from inbox/, taken over, or tried again. */
interface Job {
  /** Its claim in work/: this instance's. */
  readonly entry: ExchangeFile;
  /** Its batch may have begun under this claim or the one it took over: resume it, even if marked running. */
  readonly resuming: boolean;
  /** The claim it was taken over from, for the store to move the file's batch and outcome along. */
  readonly takenFrom?: ExchangeFile;
}

/** Claims held are renewed this often: three beats may go missing before the lease runs out. */
const HEARTBEAT_MS = LEASE_MS / 4;

const FOLDERS = ['inbox', 'outbox', 'archive', 'error', 'work'] as const;

export class DropFolder implements LocalDropFolder {
  private readonly seen = new Map<string, { size: number; mtimeMs: number }>();
  private polling = false;
  /**
   * Read positions of the files this process imports, by claim name. In
   * process on purpose: a read position belongs to the process reading, means
   * nothing once it ends, and a resumed file is read from its start anyway.
   * Everything else the operator view shows is in the store or the folders.
   */
  private readonly reading = new Map<string, { bytes: number }>();
  private readonly me: Claimant;
  private readonly leases: ClaimLeases;
  /** Files this instance failed on unexpectedly: still its own (their leases renewed), tried again on a later poll. */
  private readonly retries = new RetrySchedule<Job>();
  /** The last claim stamp (ms): claim names this instance makes never repeat, even within one millisecond. */
  private lastStamp = 0;

  constructor(private readonly options: DropFolderOptions) {
    for (const f of FOLDERS) fs.mkdirSync(path.join(options.root, f), { recursive: true });
    this.me = options.claimant ?? thisProcess();
    this.leases = new ClaimLeases(options.deps.store, options.deps.now, options.log);
  }

  dir(folder: (typeof FOLDERS)[number]): string {
    return path.join(this.options.root, folder);
  }

  get watching(): boolean {
    return this.polling;
  }

  bytesRead(claim: string): number | undefined {
    return this.reading.get(claim)?.bytes;
  }

  /**
   * Polls every `pollMs` (one poll at a time) until the returned stop() is
   * called; meanwhile renews the claims it holds every HEARTBEAT_MS, on a timer
   * of its own because one poll may take as long as its largest file.
   */
  watch(pollMs: number): () => Promise<void> {
    let stopped = false;
    this.polling = true;
    let running: Promise<unknown> = Promise.resolve();
    let renewing: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      running = running.then(async () => {
        if (stopped) return;
        try {
          await this.poll();
        } catch (err) {
          this.options.log.error({ err }, 'drop folder: poll failed');
        }
      });
    }, pollMs);
    const heartbeat = setInterval(() => {
      renewing = renewing.then(() => (stopped ? undefined : this.renewClaims()));
    }, HEARTBEAT_MS);
    return async () => {
      stopped = true;
      this.polling = false;
      clearInterval(timer);
      clearInterval(heartbeat);
      await running;
      await renewing;
    };
  }

  /** Renews the lease of every claim this instance holds (watch() does, every HEARTBEAT_MS). */
  renewClaims(): Promise<void> {
    return this.leases.renewAll();
  }

  /**
   * One look at work/ and the inbox: tries again the files this instance
   * failed on whose wait is over, finishes the files left in work/ whose
   * claimant is gone, then takes and processes every inbox file that is
   * complete. Returns what became of each; a file that failed unexpectedly
   * has no outcome yet and does not stop the others.
   */
  async poll(now = Date.now()): Promise<Map<string, FileOutcome>> {
    const outcomes = new Map<string, FileOutcome>();
    const run = async (job: Job): Promise<void> => {
      const outcome = await this.attempt(job);
      if (outcome !== undefined) outcomes.set(job.entry.name, outcome);
    };
    const left = new Set(await fs.promises.readdir(this.dir('work')));
    for (const { key, item } of this.retries.tick()) {
      // Gone from work/ meanwhile (taken over after all, or moved by an operator): nothing left to try.
      if (left.delete(key)) await run(item);
      else this.letGo(key);
    }
    // Asked at every poll: a claimant on another host is gone only once its lease has run out, which may be any poll.
    for (const name of [...left].sort()) {
      const claim = parseClaim(name);
      if (claim === undefined || this.leases.has(claim.claim) || this.retries.has(claim.claim)) continue;
      const from = exchangeFileOf(claim.claim, claim.name, this.options.deps.now());
      if (!(await claimantGone(claim, this.me, this.options.deps.now(), () => this.options.deps.store.read((unit) => knownClaim(unit.ledger, from))))) continue;
      const taken = await this.takeOver(claim, from);
      if (taken !== undefined) await run(taken);
    }
    const names = (await fs.promises.readdir(this.dir('inbox'), { withFileTypes: true }))
      .filter((e) => e.isFile() && isCandidate(e.name))
      .map((e) => e.name)
      .sort();
    for (const name of names) {
      if (!(await this.isStable(name, now))) continue;
      const claimed = await this.claim(name);
      if (claimed !== undefined) await run({ entry: claimed, resuming: false });
    }
    return outcomes;
  }

  /** Same size and mtime as at the previous look, and untouched for stableMs. */
  private async isStable(name: string, now: number): Promise<boolean> {
    const stat = await fs.promises.stat(path.join(this.dir('inbox'), name)).catch(() => undefined);
    if (stat === undefined) return false;
    const before = this.seen.get(name);
    this.seen.set(name, { size: stat.size, mtimeMs: stat.mtimeMs });
    // The file system clock may run a little ahead of Date.now(): a negative age is no age.
    return before !== undefined && before.size === stat.size && before.mtimeMs === stat.mtimeMs && Math.max(0, now - stat.mtimeMs) >= this.options.stableMs;
  }

  /** Atomic rename into work/: whoever renames first owns the file. */
  private async claim(name: string): Promise<ExchangeFile | undefined> {
    const claim = this.newClaim(name);
    if (!(await renamed(path.join(this.dir('inbox'), name), path.join(this.dir('work'), claim)))) return undefined;
    this.seen.delete(name);
    return exchangeFileOf(claim, name, this.options.deps.now());
  }

  /**
   * A gone claimant's file becomes this instance's by an atomic rename to a
   * claim of its own: of two instances taking it over, only one can. Before
   * anything else, the store moves the file's batch and outcome to the new
   * claim and fences the old one, so its claimant, should it come back,
   * cannot finish it (process()).
   */
  private async takeOver(claim: Claim, from: ExchangeFile): Promise<Job | undefined> {
    // Later than the claim it replaces, which may be this very host and pid's (a restart that got the same pid).
    const to = this.newClaim(claim.name, Date.parse(claim.claimedAt) + 1);
    if (!(await renamed(path.join(this.dir('work'), claim.claim), path.join(this.dir('work'), to)))) return undefined;
    this.options.log.info({ file: claim.name, from: claim.claim, claim: to }, 'drop folder: taking over a file whose claimant is gone');
    return { entry: exchangeFileOf(to, claim.name, this.options.deps.now()), resuming: true, takenFrom: from };
  }

  /** A claim name of this host and process for `name`, stamped by the service clock (the one leases are measured by), never before `notBefore`. */
  private newClaim(name: string, notBefore = 0): string {
    this.lastStamp = Math.max(Date.parse(this.options.deps.now()), this.lastStamp + 1, notBefore);
    return claimName(name, this.me.host, this.me.pid, new Date(this.lastStamp));
  }

  /**
   * What became of the file; undefined when another instance took it over
   * meanwhile (that one finishes it) or when it failed unexpectedly (it stays
   * in work/, this instance's, and is tried again on a later poll). A file
   * that fails unexpectedly the same way as at its previous attempt is given
   * up: 'unreadable', in error/ with a report saying so.
   */
  private async attempt(job: Job): Promise<FileOutcome | undefined> {
    const { entry } = job;
    const reading = { bytes: 0 };
    this.reading.set(entry.claim, reading);
    // Held from the start, so the heartbeat keeps it this instance's even if the first store write fails.
    this.leases.track(entry);
    try {
      const outcome = await this.process(job, path.join(this.dir('work'), entry.claim), reading);
      this.letGo(entry.claim);
      return outcome;
    } catch (err) {
      if (err instanceof ClaimTakenOverError) {
        this.options.log.info({ file: entry.name, claim: entry.claim }, 'drop folder: file taken over by another instance (this one stalled past its lease); leaving it to that one');
        this.letGo(entry.claim);
        return undefined;
      }
      // Its batch may have begun: the next attempt resumes it, like any file found in work/.
      const retry = this.retries.failed(entry.claim, { ...job, resuming: true }, sameWay(err));
      if (retry.repeated) return await this.giveUp(entry, err, retry.failures);
      await this.recordFailure(entry, err, retry);
      return undefined;
    } finally {
      this.reading.delete(entry.claim);
    }
  }

  private letGo(claim: string): void {
    this.retries.forget(claim);
    this.leases.release(claim);
  }

  private async process(job: Job, file: string, reading: { bytes: number }): Promise<FileOutcome> {
    const { entry } = job;
    const from = job.takenFrom;
    if (from !== undefined) await this.options.deps.store.write((unit) => takeOver(unit.ledger, from, entry, leaseFrom(this.options.deps.now())));
    return processClaimedFile({ entry, path: file, resuming: job.resuming, reading }, this.fileContext(entry));
  }

  private fileContext(entry: ExchangeFile): ClaimedFileContext {
    return {
      ...this.options,
      folders: { outbox: this.dir('outbox'), archive: this.dir('archive'), error: this.dir('error') },
      hold: () => this.leases.hold(entry),
    };
  }

  /**
   * The same unexpected failure twice in a row would come back at every
   * attempt: the file goes to error/ with a ServiceFault report that says what
   * happened (the fault, which for an internal error quotes the claim name the
   * log line has) and where it stopped (records committed), and counts as
   * failed. Should that fail too, the file stays scheduled, as before.
   */
  private async giveUp(entry: ExchangeFile, err: unknown, failures: number): Promise<FileOutcome | undefined> {
    const { deps, log } = this.options;
    log.error({ err, requestId: entry.claim, file: entry.name, failures }, 'drop folder: the same unexpected failure twice in a row; the file goes to error/ with its report');
    try {
      const context = this.fileContext(entry);
      await context.hold();
      const committed = (await deps.store.read((unit) => unit.ledger.read([entry.claim]))).committed.get(entry.claim) ?? 0;
      const fault = faultFor(err, entry.claim, { error: () => undefined });
      const message = `${fault.message}; it failed the same way twice in a row and was not tried again: ${committed} of its records were committed (a PARTIAL batch keeps them, an ATOMIC batch applies none)`;
      const outcome = await setAside({ entry, path: path.join(this.dir('work'), entry.claim) }, { ...fault, message }, context);
      this.letGo(entry.claim);
      return outcome;
    } catch (asideErr) {
      if (asideErr instanceof ClaimTakenOverError) {
        this.letGo(entry.claim);
        return undefined;
      }
      log.error({ err: asideErr, requestId: entry.claim, file: entry.name }, 'drop folder: could not move the file to error/; it stays in work/ and is tried again');
      return undefined;
    }
  }

  /**
   * An unexpected failure leaves the file in work/: logged once, with the
   * whole error and the claim name as its request id, and shown by the
   * operator view as the last error (INTERNAL, quoting that request id).
   */
  private async recordFailure(entry: ExchangeFile, err: unknown, retry: { failures: number; polls: number }): Promise<void> {
    const { deps, log } = this.options;
    // faultFor would log it too; the line below is the one, saying what happens next.
    const fault = faultFor(err, entry.claim, { error: () => undefined });
    log.error(
      { err, requestId: entry.claim, file: entry.name, failures: retry.failures, retryInPolls: retry.polls },
      'drop folder: unexpected failure; the file stays in work/ and is tried again',
    );
    try {
      await deps.store.write((unit) => unit.ledger.failFile(entry, { code: fault.code, message: fault.message }, deps.now()));
    } catch (storeErr) {
      log.error({ err: storeErr, requestId: entry.claim, file: entry.name }, 'drop folder: could not record the failure in the store');
    }
  }
}

/**
 * What makes two unexpected failures "the same way": the same error class,
 * the same code (a fault code, or the system's: ENOSPC, SQLITE_BUSY) and the
 * same message. A failure of the thread reading records says how far it got
 * (RecordReaderFailedError), so it is the same only where the file stops at
 * the same record both times; a failure whose message changes (another
 * record, another cause) is tried again.
 */
function sameWay(err: unknown): string {
  if (!(err instanceof Error)) return `thrown: ${String(err)}`;
  const code = (err as { code?: unknown }).code;
  return `${err.name}\n${typeof code === 'string' ? code : ''}\n${err.message}`;
}

/** The store's view of a claimed file; a claim name this folder wrote always parses, the fallback is for safety. */
function exchangeFileOf(claim: string, name: string, now: string): ExchangeFile {
  return { claim, name, claimedAt: parseClaim(claim)?.claimedAt ?? now };
}

/** Renames `from` to `to`; false when `from` is gone (another instance took it first). */
async function renamed(from: string, to: string): Promise<boolean> {
  try {
    await fs.promises.rename(from, to);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return false;
    throw err;
  }
}
