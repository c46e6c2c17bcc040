// The watched drop folder of the batch file exchange: a file that appears in
// inbox/ and has stopped changing is claimed by an atomic rename (so two
// instances never take the same file), imported as POST /xml/batches would
// import it, its report written to outbox/, and the original moved to
// archive/ (or to error/ when it could not be read, the report saying why).
// Content already imported (same SHA-256) is not imported again: its report is
// the first one, marked as a duplicate. What became of each file goes to the
// store (the operator view reads it there); while a file is read, this
// process knows how far, and logs it.
import fs from 'node:fs';
import path from 'node:path';
import type { ExchangeFile, FileOutcome } from '../domain/exchange.js';
import { BridgeError } from '../errors.js';
import type { FaultLogger } from '../fault.js';
import { faultFor } from '../fault.js';
import { serviceFaultDocument } from '../mapping/fault-xml.js';
import { reportStream } from '../mapping/report-stream.js';
import type { OperationDeps } from '../operations/operation-deps.js';
import type { PayloadValidator } from '../validation/payload-validator.js';
import { thisProcess, type Claimant } from './claimant.js';
import { claimName, fileStamp, isCandidate, parseClaim } from './folder-names.js';
import { hashedFileSource } from './hashed-file-source.js';
import { importBatch } from './import-batch.js';
import type { WorkerPolicy } from './record-stream.js';
import { writeAtomically } from './write-atomically.js';

export interface DropFolderOptions {
  readonly root: string;
  readonly deps: OperationDeps;
  readonly validator: PayloadValidator;
  /** Whether a large file's records are read in a worker thread. */
  readonly workers?: WorkerPolicy;
  readonly log: FaultLogger & { info(obj: object, msg: string): void };
  /** A file must keep its size and mtime this long before it is taken. */
  readonly stableMs: number;
  /** Records per transaction (default: importBatch's). */
  readonly chunkSize?: number;
  /** Awaited after each stored chunk of a file, with the records read so far (tests hold a file in progress here). */
  readonly afterChunk?: (file: string, records: number) => void | Promise<void>;
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

/** A progress line per file at most this often. */
const PROGRESS_LOG_MS = 5000;

const FOLDERS = ['inbox', 'outbox', 'archive', 'error', 'work'] as const;

export class DropFolder implements LocalDropFolder {
  private readonly seen = new Map<string, { size: number; mtimeMs: number }>();
  private recovered = false;
  private polling = false;
  /**
   * Read positions of the files this process imports, by claim name. In
   * process on purpose: a read position belongs to the process reading, means
   * nothing once it ends, and a resumed file is read from its start anyway.
   * Everything else the operator view shows is in the store or the folders.
   */
  private readonly reading = new Map<string, { bytes: number }>();
  private readonly me: Claimant;

  constructor(private readonly options: DropFolderOptions) {
    for (const f of FOLDERS) fs.mkdirSync(path.join(options.root, f), { recursive: true });
    this.me = options.claimant ?? thisProcess();
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

  /** Polls every `pollMs` (one poll at a time) until the returned stop() is called. */
  watch(pollMs: number): () => Promise<void> {
    let stopped = false;
    this.polling = true;
    let running: Promise<unknown> = Promise.resolve();
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
    return async () => {
      stopped = true;
      this.polling = false;
      clearInterval(timer);
      await running;
    };
  }

  /** One look at the inbox: takes and processes every file that is complete. Returns what became of each. */
  async poll(now = Date.now()): Promise<Map<string, FileOutcome>> {
    const outcomes = new Map<string, FileOutcome>();
    if (!this.recovered) {
      // Files left in work/ were being imported when this instance last stopped
      // (killed, or the machine went down): finish them first, where they stopped.
      this.recovered = true;
      for (const claimed of (await fs.promises.readdir(this.dir('work'))).sort()) {
        const owner = parseClaim(claimed);
        if (owner === undefined) continue;
        // Another live process's file is its own; a dead one's (same host) is ours to finish now;
        // another host's waits until its batch lease runs out.
        const mine = owner.host === this.me.host && !this.me.isRunning(owner.pid);
        if (owner.host === this.me.host && !mine) continue;
        try {
          outcomes.set(owner.name, await this.process(owner.name, path.join(this.dir('work'), claimed), mine));
        } catch (err) {
          this.options.log.error({ err, file: claimed }, 'drop folder: could not resume');
        }
      }
    }
    const names = (await fs.promises.readdir(this.dir('inbox'), { withFileTypes: true }))
      .filter((e) => e.isFile() && isCandidate(e.name))
      .map((e) => e.name)
      .sort();
    for (const name of names) {
      if (!(await this.isStable(name, now))) continue;
      const claimed = await this.claim(name);
      if (claimed === undefined) continue;
      outcomes.set(name, await this.process(name, claimed));
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
  private async claim(name: string): Promise<string | undefined> {
    // Stamped by the service's clock, which is also the one leases are measured by.
    const claimed = path.join(this.dir('work'), claimName(name, this.me.host, this.me.pid, new Date(this.options.deps.now())));
    try {
      await fs.promises.rename(path.join(this.dir('inbox'), name), claimed);
      this.seen.delete(name);
      return claimed;
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  private async process(name: string, file: string, resuming = false): Promise<FileOutcome> {
    const { deps, log } = this.options;
    const entry = exchangeFileOf(path.basename(file), name, deps.now());
    const base = name.replace(/\.xml$/i, '');
    const report = path.join(this.dir('outbox'), `${name}.report.xml`);
    const reading = { bytes: 0 };
    this.reading.set(entry.claim, reading);
    try {
      const bytes = (await fs.promises.stat(file)).size;
      log.info({ file: name, claim: entry.claim, bytes, resuming }, 'drop folder: importing');
      let logged = Date.now();
      const { source, sha256 } = hashedFileSource(file, reading);
      const result = await importBatch(source, {
        deps,
        validator: this.options.validator,
        workers: this.options.workers,
        chunkSize: this.options.chunkSize,
        defaultBatchId: () => `sha256:${sha256()}`,
        takeover: resuming,
        onBegin: (batchKey) => deps.store.startExchangeFile(entry, batchKey),
        onProgress: async (records) => {
          if (Date.now() - logged >= PROGRESS_LOG_MS) {
            logged = Date.now();
            log.info({ file: name, recordsRead: records, bytesRead: reading.bytes, bytes }, 'drop folder: progress');
          }
          await this.options.afterChunk?.(name, records);
        },
      });
      const outcome: FileOutcome = result.replayed ? 'duplicate' : result.summary.failed > 0 ? 'failed-records' : 'imported';
      const note = result.replayed ? `<!-- ${name}: duplicate of a file imported before (same content, sha256 ${sha256()}); nothing imported again; this is the first report -->\n` : '';
      await writeAtomically(await unique(report, '.report.xml'), prefixed(note, reportStream(result.summary, result.session.results())));
      // Recorded before the file leaves work/: a crash in between finishes it again, and the store keeps the first outcome.
      await deps.store.finishExchangeFile(entry, outcome, deps.now());
      await fs.promises.rename(file, await unique(path.join(this.dir('archive'), `${base}-${fileStamp()}.xml`)));
      log.info({ file: name, ...result.summary, duplicate: result.replayed }, 'drop folder: file processed');
      return outcome;
    } catch (err) {
      if (!(err instanceof BridgeError)) {
        await this.recordFailure(entry, err);
        throw err;
      }
      const fault = faultFor(err, name, log);
      await writeAtomically(await unique(report, '.report.xml'), (async function* () { yield serviceFaultDocument(fault).toString('utf8'); })());
      await deps.store.finishExchangeFile(entry, 'unreadable', deps.now(), { code: fault.code, message: fault.message });
      await fs.promises.rename(file, await unique(path.join(this.dir('error'), `${base}-${fileStamp()}.xml`)));
      log.info({ file: name, code: err.code }, 'drop folder: file could not be read');
      return 'unreadable';
    } finally {
      this.reading.delete(entry.claim);
    }
  }

  /**
   * An unexpected failure leaves the file in work/: the operator view shows it
   * as the last error (INTERNAL; the log line with the whole error carries the
   * claim name as its request id).
   */
  private async recordFailure(entry: ExchangeFile, err: unknown): Promise<void> {
    const fault = faultFor(err, entry.claim, this.options.log);
    try {
      await this.options.deps.store.failExchangeFile(entry, { code: fault.code, message: fault.message }, this.options.deps.now());
    } catch (storeErr) {
      this.options.log.error({ err: storeErr, file: entry.name }, 'drop folder: could not record the failure');
    }
  }
}

/** The store's view of a claimed file; a claim name this folder wrote always parses, the fallback is for safety. */
function exchangeFileOf(claim: string, name: string, now: string): ExchangeFile {
  return { claim, name, claimedAt: parseClaim(claim)?.claimedAt ?? now };
}

async function* prefixed(first: string, rest: AsyncIterable<string>): AsyncGenerator<string> {
  let started = false;
  for await (const piece of rest) {
    // After the XML declaration, which must come first.
    if (!started && first !== '') {
      const end = piece.indexOf('?>');
      yield end < 0 ? first + piece : `${piece.slice(0, end + 2)}\n${first}${piece.slice(end + 2).replace(/^\n/, '')}`;
    } else {
      yield piece;
    }
    started = true;
  }
}

/** `file`, or with a timestamp (and a counter) inserted before `suffix` when that name is taken. */
async function unique(file: string, suffix = path.extname(file)): Promise<string> {
  const ext = suffix;
  const stem = file.slice(0, file.length - ext.length);
  const when = fileStamp();
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? file : n === 2 ? `${stem}-${when}${ext}` : `${stem}-${when}-${n}${ext}`;
    try {
      await fs.promises.access(candidate);
    } catch {
      return candidate;
    }
  }
}
