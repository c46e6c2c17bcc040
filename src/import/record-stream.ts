// Pass 2 of a streamed import: the document's records, read (parsed,
// validated, mapped) a group at a time, with the batch fingerprint of all of
// them. Reading is the CPU half of an import and storing the other, and SQLite
// has one writer: when enabled, the whole pass (file reads, record scanning,
// libxml2, mapping, hashing) runs in a worker thread while the main thread
// does nothing but store, so the two halves overlap on two cores.
// Small documents are read on the calling thread: a worker takes ~250 ms and
// ~40 MB to start (its own libxml2 and compiled schema), more than it saves
// below a few MB.
import { Worker } from 'node:worker_threads';
import { WORKER_HEAP_MB, type WorkerPolicy } from '../config.js';
import { BatchFingerprint } from '../domain/batch-fingerprint.js';
import type { BatchMode, BatchRecord, RecordGroup } from '../domain/batch.js';
import { RecordReaderFailedError } from '../errors.js';
import type { PayloadValidator } from '../validation/payload-validator.js';
import type { RawRecord } from '../xml/record-scanner.js';
import type { BatchSource, SourceFile } from './batch-source.js';
import { readRecords } from './record-reader.js';
import { scanDocument } from './scan-document.js';

/** Records per group: what the store writes in one transaction. */
export const GROUP_SIZE = 1000;

export interface RecordStream {
  /** Where the records are read: an operator (and a test) can tell whether the second core is used. */
  readonly thread: 'worker' | 'calling';
  /**
   * The records in document order, GROUP_SIZE at a time (the last group may
   * be smaller, and so is the one ending at the mark), each with the
   * fingerprint up to its last record.
   */
  groups(): AsyncIterable<RecordGroup>;
  /** The fingerprint of the whole batch (its mode and every record as read); once groups() has ended. */
  fingerprint(): string;
}

export type { WorkerPolicy };

/**
 * Records the next group takes after `done`: `groupSize`, but a group ends
 * at `markAt` (where an interrupted run of the batch stopped), so the
 * fingerprint there can be held to the one stored then (batch-session.ts).
 */
export function nextGroupSize(done: number, groupSize: number, markAt: number): number {
  return markAt > done && markAt - done < groupSize ? markAt - done : groupSize;
}

/** Reads `source` in a worker thread when the policy and its size allow, else on the calling thread. */
export function recordStream(
  source: BatchSource,
  namespaces: string,
  mode: BatchMode,
  validator: PayloadValidator,
  policy: WorkerPolicy,
  groupSize = GROUP_SIZE,
  markAt = 0,
): RecordStream {
  const file = source.file?.();
  if (policy.enabled && file !== undefined && file.bytes >= policy.minBytes) {
    return workerRecordStream(file, namespaces, mode, groupSize, markAt, policy.maxHeapMb ?? WORKER_HEAP_MB);
  }
  return inlineRecordStream(source.open(), namespaces, mode, validator, groupSize, markAt);
}

/** On the calling thread (also what the worker itself runs). */
export function inlineRecordStream(
  input: AsyncIterable<Buffer>,
  namespaces: string,
  mode: BatchMode,
  validator: PayloadValidator,
  groupSize = GROUP_SIZE,
  markAt = 0,
): RecordStream {
  const fingerprint = new BatchFingerprint(mode);
  let digest: string | undefined;
  async function* groups(): AsyncGenerator<RecordGroup> {
    const raw: RawRecord[] = [];
    let done = 0;
    const read = (list: RawRecord[]): RecordGroup => {
      const records = readRecords(list, namespaces, validator).map((one) => {
        fingerprint.add(one.fingerprint);
        return one.record;
      });
      done += records.length;
      return { records, readThrough: fingerprint.prefix() };
    };
    // Pass 1 held every record of these bytes to the configured bound already.
    for await (const found of scanDocument(input, undefined, { maxRecordChars: Number.POSITIVE_INFINITY })) {
      for (const r of found) raw.push(r);
      for (let size = nextGroupSize(done, groupSize, markAt); raw.length >= size; size = nextGroupSize(done, groupSize, markAt)) {
        yield read(raw.splice(0, size));
      }
    }
    if (raw.length > 0) yield read(raw);
    digest = fingerprint.digest();
  }
  return streamOf('calling', groups, () => digest);
}

function streamOf(thread: RecordStream['thread'], groups: () => AsyncIterable<RecordGroup>, digest: () => string | undefined): RecordStream {
  return {
    thread,
    groups,
    fingerprint: () => {
      const done = digest();
      if (done === undefined) throw new Error('fingerprint() before the records were all read');
      return done;
    },
  };
}

/** Messages from the worker (src/import/record-stream-worker.ts). */
export type FromWorker =
  | { readonly kind: 'group'; readonly records: readonly BatchRecord[]; readonly readThrough: string; readonly bytesRead: number }
  | { readonly kind: 'end'; readonly fingerprint: string }
  | { readonly kind: 'error'; readonly message: string };

export interface WorkerJob {
  readonly file: string;
  readonly namespaces: string;
  readonly mode: BatchMode;
  readonly groupSize: number;
  /** Where a group must end (nextGroupSize); 0: nowhere in particular. */
  readonly markAt: number;
  /** Groups the worker may read ahead of the store: bounds memory (each is ~1 MB as objects). */
  readonly credit: number;
}

const READ_AHEAD = 2;

function workerRecordStream(file: SourceFile, namespaces: string, mode: BatchMode, groupSize: number, markAt: number, maxHeapMb: number): RecordStream {
  let digest: string | undefined;
  async function* groups(): AsyncGenerator<RecordGroup> {
    const job: WorkerJob = { file: file.path, namespaces, mode, groupSize, markAt, credit: READ_AHEAD };
    // Small heaps, as in the main process (--max-semi-space-size): the worker
    // holds at most READ_AHEAD + 1 groups, all short-lived, and an import must
    // stay under 200 MB of RSS. The limits bound the worker's heap; on an idle
    // machine they moved a 100k import's peak little (182 MB with 8/48 or 4/32,
    // 178 MB with 8/24, which was 30 % slower): most of the worker's cost is
    // its own libxml2 instance.
    const worker = new Worker(new URL('./record-stream-worker.js', import.meta.url), {
      workerData: job,
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: maxHeapMb },
    });
    const inbox: FromWorker[] = [];
    let wake: (() => void) | undefined;
    let failure: { what: string; cause?: unknown } | undefined;
    // How far the thread had got: what the message of a failure says.
    let recordsRead = 0;
    let bytesRead = 0;
    const arrived = (): void => {
      wake?.();
      wake = undefined;
    };
    worker.on('message', (m: FromWorker) => {
      inbox.push(m);
      arrived();
    });
    worker.on('error', (err) => {
      failure ??= { what: threadDied(err, maxHeapMb), cause: err };
      arrived();
    });
    worker.on('exit', (code) => {
      failure ??= code === 0 ? undefined : { what: `the thread reading records exited with code ${code}` };
      arrived();
    });
    const stopped = (what: string, cause?: unknown): RecordReaderFailedError =>
      new RecordReaderFailedError(what, recordsRead, bytesRead, file.bytes, { cause });
    try {
      for (;;) {
        const m = inbox.shift();
        if (m === undefined) {
          // Groups it passed on before it died are stored first: the failure comes after the last of them.
          if (failure !== undefined) throw stopped(failure.what, failure.cause);
          await new Promise<void>((resolve) => { wake = resolve; });
          continue;
        }
        if (m.kind === 'error') throw stopped(`the thread reading records failed: ${m.message}`);
        if (m.kind === 'end') {
          digest = m.fingerprint;
          return;
        }
        // Taken: the worker may read one more group ahead.
        worker.postMessage('more');
        recordsRead += m.records.length;
        bytesRead = m.bytesRead;
        file.progress?.(m.bytesRead);
        yield { records: m.records, readThrough: m.readThrough };
      }
    } finally {
      await worker.terminate();
    }
  }
  return streamOf('worker', groups, () => digest);
}

/** What an 'error' of the reading thread means, in words an operator can act on. */
function threadDied(err: Error, maxHeapMb: number): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return `the thread reading records ran out of memory (ERR_WORKER_OUT_OF_MEMORY: a record too large for its ${maxHeapMb} MB heap, CRM_IMPORT_WORKER_HEAP_MB)`;
  }
  return `the thread reading records crashed (${typeof code === 'string' ? `${code}: ` : ''}${err.message})`;
}
