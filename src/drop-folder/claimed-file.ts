// One claimed file in the drop folder's work/, from import to its place:
// imported through the dispatcher as POST /xml/batches is (resumed where it stopped),
// its report written to outbox/, its outcome recorded in the store, the
// original moved to archive/; or, when it cannot be read (or the drop folder
// gives up on it), a ServiceFault report and the original to error/. A file whose outcome is recorded already
// only moves on. Decides nothing about which files to take: the claim is
// renewed through `hold` before each step that writes, and a claimant that
// has lost the file stops there (ClaimTakenOverError).
import { finishFile } from './claim-ledger.js';
import fs from 'node:fs';
import type { ExchangeClaim, ExchangeFile, FileOutcome } from '../domain/drop-folder.js';
import { BridgeError } from '../errors.js';
import { faultFor, type Fault, type FaultLogger } from '../fault.js';
import { serviceFaultDocument } from '../mapping/fault-xml.js';
import { reportStream } from '../mapping/report-stream.js';
import type { OperationDeps } from '../operations/operation-deps.js';
import { moveOut, reportFile, withNote } from './finished-files.js';
import { hashedFileSource } from './hashed-file-source.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import type { WorkerPolicy } from '../import/record-stream.js';
import { writeAtomically } from '../files/write-atomically.js';

/** How files are imported: the drop folder's options that are not about claiming. */
export interface ImportSettings {
  readonly deps: OperationDeps;
  /** Every file enters the service here, as every other channel's request does. */
  readonly dispatcher: Dispatcher;
  /** Whether a large file's records are read in a worker thread. */
  readonly workers?: WorkerPolicy;
  /** The most characters one record may hold (CRM_MAX_RECORD_BYTES; default the scanner's). */
  readonly maxRecordChars?: number;
  readonly log: FaultLogger & { info(obj: object, msg: string): void };
  /** Records per transaction (default: importBatch's). */
  readonly chunkSize?: number;
  /** Awaited after each stored chunk of a file, with the records read so far (tests hold a file in progress here). */
  readonly afterChunk?: (file: string, records: number) => void | Promise<void>;
}

export interface ClaimedFileContext extends ImportSettings {
  readonly folders: { readonly outbox: string; readonly archive: string; readonly error: string };
  /** Renews the claim and answers what the store knows of it; throws ClaimTakenOverError once another instance has it. */
  readonly hold: () => Promise<ExchangeClaim>;
}

export interface ClaimedFile {
  readonly entry: ExchangeFile;
  /** Where it is in work/. */
  readonly path: string;
  /** Its batch may have begun under this claim or the one it took over: resume it, even if marked running. */
  readonly resuming: boolean;
  /** Bytes read in the current pass, kept up to date for the operator view. */
  readonly reading: { bytes: number };
}

/** A progress line per file at most this often. */
const PROGRESS_LOG_MS = 5000;

/**
 * What became of the file. Anything but a sender's fault (the file is
 * unreadable) is thrown, an internal error too (the thread reading records
 * died): the file stays in work/ and the drop folder decides what next.
 */
export async function processClaimedFile(file: ClaimedFile, context: ClaimedFileContext): Promise<FileOutcome> {
  try {
    return await importFile(file, context);
  } catch (err) {
    if (!(err instanceof BridgeError) || !err.senderFault) throw err;
    await context.hold();
    const outcome = await setAside(file, faultFor(err, file.entry.name, context.log), context);
    context.log.info({ file: file.entry.name, code: err.code }, 'drop folder: file could not be read');
    return outcome;
  }
}

/** Imports the file, writes its report, records its outcome and archives it. */
async function importFile({ entry, path: file, resuming, reading }: ClaimedFile, context: ClaimedFileContext): Promise<FileOutcome> {
  const { deps, log, folders, hold } = context;
  const { name } = entry;
  const known = await hold();
  // Its report is written and its outcome counted: only the move out of work/ was missing.
  if (known.outcome !== undefined) return moveOnFinished(entry, file, known.outcome, context);
  const bytes = (await fs.promises.stat(file)).size;
  log.info({ file: name, claim: entry.claim, bytes, resuming }, 'drop folder: importing');
  let logged = Date.now();
  const { source, sha256 } = hashedFileSource(file, reading);
  // One request per pass over the file; its claim name is unique per claim, so it tells the passes apart in the log.
  // Its actor is the file (contract: `file:NAME`): whoever could write into the inbox already has the data folder.
  const result = await context.dispatcher.importBatch({ channel: 'drop-folder', requestId: entry.claim, actor: `file:${name}` }, source, {
    workers: context.workers,
    maxRecordChars: context.maxRecordChars,
    chunkSize: context.chunkSize,
    defaultBatchId: () => `sha256:${sha256()}`,
    takeover: resuming,
    onBegin: (batchKey) => deps.store.write((unit) => unit.ledger.startFile(entry, batchKey)),
    onProgress: async (records) => {
      if (Date.now() - logged >= PROGRESS_LOG_MS) {
        logged = Date.now();
        log.info({ file: name, recordsRead: records, bytesRead: reading.bytes, bytes }, 'drop folder: progress');
      }
      await context.afterChunk?.(name, records);
    },
    // A claimant that stalled past its lease must not store into a batch it lost: checked right before each write.
    beforeWrite: async () => { await hold(); },
  });
  // Again before the report: finishing the batch may have held this process up for long (ATOMIC applies it all then).
  await hold();
  // A batch done before is this file's own when this claim (or the one it took over) began it: the
  // process that finished it stopped before the file left work/. Anyone else's is a duplicate's.
  const duplicate = result.replayed && result.session.key !== known.batchKey;
  const outcome: FileOutcome = duplicate ? 'duplicate' : result.summary.failed > 0 ? 'failed-records' : 'imported';
  const note = duplicate ? `<!-- ${name}: duplicate of a file imported before (same content, sha256 ${sha256()}); nothing imported again; this is the first report -->\n` : '';
  await writeAtomically(await reportFile(folders.outbox, name), withNote(note, reportStream(result.summary, result.session.results())));
  // Recorded before the file leaves work/: a crash in between finishes it again, and the store keeps the first outcome.
  await deps.store.write((unit) => finishFile(unit.ledger, entry, outcome, deps.now()));
  await moveOut(file, folders.archive, name);
  log.info({ file: name, ...result.summary, duplicate }, 'drop folder: file processed');
  return outcome;
}

/** A file whose outcome is recorded (so its report is written): to archive/, or error/ when it was unreadable. */
async function moveOnFinished(entry: ExchangeFile, file: string, outcome: FileOutcome, { folders, log }: ClaimedFileContext): Promise<FileOutcome> {
  await moveOut(file, outcome === 'unreadable' ? folders.error : folders.archive, entry.name);
  log.info({ file: entry.name, claim: entry.claim, outcome }, 'drop folder: file finished before a restart, moved out of work/');
  return outcome;
}

/**
 * A file that cannot be read, or that failed unexpectedly the same way twice
 * (drop-folder.ts): a ServiceFault report saying why (`fault`), the outcome
 * 'unreadable' (counted as failed), and the original to error/. The outcome
 * is recorded before the file leaves work/, so a crash in between only moves
 * it on (moveOnFinished). The caller has just held the claim.
 */
export async function setAside({ entry, path: file }: Pick<ClaimedFile, 'entry' | 'path'>, fault: Fault, { deps, folders }: ClaimedFileContext): Promise<FileOutcome> {
  await writeAtomically(await reportFile(folders.outbox, entry.name), (async function* () { yield serviceFaultDocument(fault).toString('utf8'); })());
  await deps.store.write((unit) => finishFile(unit.ledger, entry, 'unreadable', deps.now(), { code: fault.code, message: fault.message }));
  await moveOut(file, folders.error, entry.name);
  return 'unreadable';
}
