// The worker thread of a record stream: reads one batch file (pass 2) with
// the same inline reader the main thread would use, and posts its records a
// group at a time, never more than its credit ahead of the store.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { XsdValidator } from '../validation/xsd-validator.js';
import { inlineRecordStream, type FromWorker, type WorkerJob } from './record-stream.js';

const job = workerData as WorkerJob;
const port = parentPort;
let credit = job.credit;
let granted: (() => void) | undefined;
port?.on('message', () => {
  credit += 1;
  granted?.();
  granted = undefined;
});

function post(m: FromWorker): void {
  port?.postMessage(m);
}

async function run(): Promise<void> {
  let bytesRead = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of fs.createReadStream(job.file, { highWaterMark: 256 * 1024 })) {
      bytesRead += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  const stream = inlineRecordStream(counted(), job.namespaces, job.mode, new XsdValidator(), job.groupSize, job.markAt);
  for await (const group of stream.groups()) {
    while (credit === 0) await new Promise<void>((resolve) => { granted = resolve; });
    credit -= 1;
    post({ kind: 'group', records: group.records, readThrough: group.readThrough, bytesRead });
  }
  post({ kind: 'end', fingerprint: stream.fingerprint() });
}

run().catch((err: unknown) => post({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
