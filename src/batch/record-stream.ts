// Pass 2 of a streamed import: the document's records, read (parsed,
// validated, mapped) a group at a time, with the batch fingerprint of all of
// them. Reading is the CPU half of an import and storing the other, and SQLite
// has one writer: on a machine with two cores the whole pass (file reads,
// record scanning, libxml2, mapping, hashing) runs in a worker thread while
// the main thread does nothing but store, so the two halves overlap.
// Small documents are read on the calling thread: a worker costs ~100 ms and
// tens of MB to start, more than it saves below a few MB.
import { StringDecoder } from 'node:string_decoder';
import { Worker } from 'node:worker_threads';
import { BatchFingerprint } from '../domain/batch-fingerprint.js';
import type { BatchMode, BatchRecord } from '../domain/batch.js';
import type { PayloadValidator } from '../validation/payload-validator.js';
import { RecordScanner, type RawRecord } from '../xml/record-scanner.js';
import type { BatchSource, SourceFile } from './batch-source.js';
import { readRecord } from './record-reader.js';

/** Records per group: what the store writes in one transaction. */
export const GROUP_SIZE = 1000;

export interface RecordStream {
  /** Where the records are read: an operator (and a test) can tell whether the second core is used. */
  readonly thread: 'worker' | 'calling';
  /** The records in document order, GROUP_SIZE at a time (the last group may be smaller). */
  groups(): AsyncIterable<BatchRecord[]>;
  /** The fingerprint of the whole batch (its mode and every record as read); once groups() has ended. */
  fingerprint(): string;
}

export interface WorkerPolicy {
  /** Whether reading may move to a worker thread at all. */
  readonly enabled: boolean;
  /** Documents smaller than this are read on the calling thread. */
  readonly minBytes: number;
}

/** Reads `source` in a worker thread when the policy and its size allow, else on the calling thread. */
export function recordStream(
  source: BatchSource,
  namespaces: string,
  mode: BatchMode,
  validator: PayloadValidator,
  policy: WorkerPolicy,
  groupSize = GROUP_SIZE,
): RecordStream {
  const file = source.file?.();
  if (policy.enabled && file !== undefined && file.bytes >= policy.minBytes) {
    return workerRecordStream(file, namespaces, mode, groupSize);
  }
  return inlineRecordStream(source.open(), namespaces, mode, validator, groupSize);
}

/** On the calling thread (also what the worker itself runs). */
export function inlineRecordStream(
  input: AsyncIterable<Buffer>,
  namespaces: string,
  mode: BatchMode,
  validator: PayloadValidator,
  groupSize = GROUP_SIZE,
): RecordStream {
  const fingerprint = new BatchFingerprint(mode);
  let digest: string | undefined;
  async function* groups(): AsyncGenerator<BatchRecord[]> {
    let raw: RawRecord[] = [];
    const read = (list: RawRecord[]): BatchRecord[] => list.map((r) => {
      const one = readRecord(r, namespaces, validator);
      fingerprint.add(one.fingerprint);
      return one.record;
    });
    const decoder = new StringDecoder('utf8');
    const scanner = new RecordScanner({ root: () => undefined, record: (r) => raw.push(r) });
    for await (const chunk of input) {
      scanner.push(decoder.write(chunk));
      while (raw.length >= groupSize) yield read(raw.splice(0, groupSize));
    }
    scanner.push(decoder.end());
    scanner.end();
    const rest = raw;
    raw = [];
    for (let i = 0; i < rest.length; i += groupSize) yield read(rest.slice(i, i + groupSize));
    digest = fingerprint.digest();
  }
  return streamOf('calling', groups, () => digest);
}

function streamOf(thread: RecordStream['thread'], groups: () => AsyncIterable<BatchRecord[]>, digest: () => string | undefined): RecordStream {
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

/** Messages from the worker (src/batch/record-stream-worker.ts). */
export type FromWorker =
  | { readonly kind: 'group'; readonly records: BatchRecord[]; readonly bytesRead: number }
  | { readonly kind: 'end'; readonly fingerprint: string }
  | { readonly kind: 'error'; readonly message: string };

export interface WorkerJob {
  readonly file: string;
  readonly namespaces: string;
  readonly mode: BatchMode;
  readonly groupSize: number;
  /** Groups the worker may read ahead of the store: bounds memory (each is ~1 MB as objects). */
  readonly credit: number;
}

const READ_AHEAD = 2;

function workerRecordStream(file: SourceFile, namespaces: string, mode: BatchMode, groupSize: number): RecordStream {
  let digest: string | undefined;
  async function* groups(): AsyncGenerator<BatchRecord[]> {
    const job: WorkerJob = { file: file.path, namespaces, mode, groupSize, credit: READ_AHEAD };
    // Small heaps, as in the main process (--max-semi-space-size): the worker
    // holds at most READ_AHEAD + 1 groups, all short-lived, and an import must
    // stay under 200 MB of RSS. Measured on 100k records: 199 MB peak without
    // a limit on the old generation, 176 MB with 48 MB (at the same speed).
    const worker = new Worker(new URL('./record-stream-worker.js', import.meta.url), {
      workerData: job,
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 48 },
    });
    const inbox: FromWorker[] = [];
    let wake: (() => void) | undefined;
    let failure: Error | undefined;
    const arrived = (): void => {
      wake?.();
      wake = undefined;
    };
    worker.on('message', (m: FromWorker) => {
      inbox.push(m);
      arrived();
    });
    worker.on('error', (err) => {
      failure = err;
      arrived();
    });
    worker.on('exit', (code) => {
      failure ??= code === 0 ? undefined : new Error(`record reader thread exited with code ${code}`);
      arrived();
    });
    try {
      for (;;) {
        const m = inbox.shift();
        if (m === undefined) {
          if (failure !== undefined) throw failure;
          await new Promise<void>((resolve) => { wake = resolve; });
          continue;
        }
        if (m.kind === 'error') throw new Error(`reading records: ${m.message}`);
        if (m.kind === 'end') {
          digest = m.fingerprint;
          return;
        }
        // Taken: the worker may read one more group ahead.
        worker.postMessage('more');
        file.progress?.(m.bytesRead);
        yield m.records;
      }
    } finally {
      await worker.terminate();
    }
  }
  return streamOf('worker', groups, () => digest);
}
