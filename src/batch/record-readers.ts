// Reading records (parse, validate, map) is the CPU half of an import; storing
// them is the other. RecordReaders does the reading either on the calling
// thread or in worker threads, so that on a machine with more than one core
// the main thread stores chunk n while workers read chunk n + 1.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PayloadValidator } from '../validation/payload-validator.js';
import type { RawRecord } from '../xml/record-scanner.js';
import { readRecord, type ReadRecord } from './record-reader.js';

export interface RecordReaders {
  /** Reads a group of records; groups may be read in parallel, each answer in its group's order. */
  read(records: readonly RawRecord[], namespaces: string): Promise<ReadRecord[]>;
  close(): Promise<void>;
}

/** On the calling thread: for small machines and small batches. */
export function inlineReaders(validator: PayloadValidator): RecordReaders {
  return {
    read: async (records, namespaces) => records.map((r) => readRecord(r, namespaces, validator)),
    close: async () => undefined,
  };
}

interface Pending {
  readonly resolve: (results: ReadRecord[]) => void;
  readonly reject: (err: Error) => void;
}

/** Worker threads, one per core but one (the main thread stores), started once and reused. */
export function workerReaders(count = Math.max(1, os.availableParallelism() - 1)): RecordReaders {
  const pending = new Map<number, Pending>();
  let next = 0;
  const workers = Array.from({ length: count }, () => {
    const worker = new Worker(new URL('./record-worker.js', import.meta.url));
    worker.on('message', (m: { id: number; results?: ReadRecord[]; error?: string }) => {
      const p = pending.get(m.id);
      if (p === undefined) return;
      pending.delete(m.id);
      if (![...pending.keys()].some((id) => id % workers.length === m.id % workers.length)) worker.unref();
      if (m.results !== undefined) p.resolve(m.results);
      else p.reject(new Error(`record worker failed: ${m.error ?? 'unknown error'}`));
    });
    worker.on('error', (err) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
    // An idle pool must not keep a finished CLI process alive, a busy one must (see read()).
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    return worker;
  });
  return {
    read(records, namespaces) {
      const id = next++;
      const worker = workers[id % workers.length];
      if (worker === undefined) return Promise.reject(new Error('no record worker'));
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, records, namespaces });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

let shared: RecordReaders | undefined;

/**
 * `workers` worker threads shared by every import of the process (they hold
 * no state of their own), started on first use; 0 reads on the calling thread.
 */
export function sharedReaders(validator: PayloadValidator, workers: number): RecordReaders {
  if (workers <= 0) return inlineReaders(validator);
  shared ??= workerReaders(workers);
  return shared;
}
