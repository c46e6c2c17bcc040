// The batch exchange at full size: a CustomerBatch of BENCH_BATCH_CUSTOMERS
// written to a temporary file first (not timed), then streamed from it to
// POST /xml/batches (or its JSON twin to POST /api/batches: postBatchFile),
// then GET /xml/export of the same store, each with the
// server's peak resident memory during that phase (sampled from /proc).
// The client does as little as it can while the clock runs: generating the
// records during the upload, or decoding the answers to text, took a core
// of the two the server's two threads need (the export measured 51 s with a
// decoding client against 21 s with curl).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { writeBatchFile } from './batch-file.js';
import type { ServerProcess } from './server-process.js';

export interface PhaseResult {
  readonly seconds: number;
  readonly perSecond: number;
  readonly peakRssBytes: number | undefined;
  readonly items: number;
  readonly bytes: number;
}

/** Times `work` and samples the server's RSS while it runs; the phase's peak. */
export async function phase(pid: number, work: () => Promise<{ items: number; bytes: number }>): Promise<PhaseResult> {
  let peak: number | undefined;
  const sample = (): void => {
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb !== undefined) peak = Math.max(peak ?? 0, Number(kb) * 1024);
    } catch {
      // not Linux, or the process is gone: no figure
    }
  };
  const timer = setInterval(sample, 200);
  const started = process.hrtime.bigint();
  try {
    const { items, bytes } = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    sample();
    return { seconds, perSecond: items / seconds, peakRssBytes: peak, items, bytes };
  } finally {
    clearInterval(timer);
  }
}

/** Counts occurrences of `needle` in a streamed body, across chunk boundaries, without decoding it. */
export function counter(needle: string): { feed(chunk: Buffer): void; count: number } {
  const n = Buffer.from(needle, 'utf8');
  let tail = Buffer.alloc(0);
  const state = {
    count: 0,
    feed(chunk: Buffer) {
      if (tail.length > 0) {
        // Only the occurrences that start in the tail and end in this chunk.
        const joint = Buffer.concat([tail, chunk.subarray(0, n.length - 1)]);
        for (let i = joint.indexOf(n); i >= 0 && i < tail.length; i = joint.indexOf(n, i + 1)) state.count += 1;
      }
      for (let i = chunk.indexOf(n); i >= 0; i = chunk.indexOf(n, i + n.length)) state.count += 1;
      // The last n - 1 bytes of the answer so far (a short chunk keeps part of the old tail).
      const keep = n.length - 1;
      tail = chunk.length >= keep
        ? Buffer.from(chunk.subarray(chunk.length - keep))
        : Buffer.concat([tail, chunk]).subarray(Math.max(0, tail.length + chunk.length - keep));
    },
  };
  return state;
}

export async function importBatch(server: ServerProcess, customers: number, onProgress: (n: number) => void): Promise<PhaseResult & { created: number; failed: number }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'crm-bridge-bench-batch-'));
  const file = path.join(dir, 'customers.xml');
  try {
    const bytes = await writeBatchFile(file, customers);
    onProgress(customers);
    const posted = await postBatchFile(server, XML_BATCH, file, bytes, customers);
    return { ...posted.result, created: posted.created, failed: posted.failed };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** Where a batch file is posted and how its report is read: the XML and JSON twins. */
export interface BatchChannel {
  readonly path: string;
  readonly contentType: string;
  /** Occurs once per record's result in the report. */
  readonly resultNeedle: string;
  /** A count of the report's head ('created', 'failed'). */
  readonly count: (head: string, name: string) => number;
}

export const XML_BATCH: BatchChannel = {
  path: '/xml/batches',
  contentType: 'application/xml',
  resultNeedle: '<result>',
  count: (head, name) => Number(new RegExp(`<${name}>(\\d+)</${name}>`).exec(head)?.[1] ?? NaN),
};

export const JSON_BATCH: BatchChannel = {
  path: '/api/batches',
  contentType: 'application/json',
  resultNeedle: '{"index":',
  count: (head, name) => Number(new RegExp(`"${name}":(\\d+)`).exec(head)?.[1] ?? NaN),
};

/**
 * Streams `file` (`bytes`, `customers` records) to the channel's resource and
 * reads the report without decoding it; a status other than 200 or a result
 * count other than `customers` fails the measurement.
 */
export async function postBatchFile(server: Pick<ServerProcess, 'url' | 'pid'>, channel: BatchChannel, file: string, bytes: number, customers: number): Promise<{ result: PhaseResult; created: number; unchanged: number; failed: number }> {
  let head = '';
  const result = await phase(server.pid, async () => {
    const req = http.request(`${server.url}${channel.path}`, { method: 'POST', headers: { 'content-type': channel.contentType } });
    const answered = once(req, 'response') as Promise<[http.IncomingMessage]>;
    await pipeline(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), req);
    const [res] = await answered;
    const results = counter(channel.resultNeedle);
    for await (const chunk of res as AsyncIterable<Buffer>) {
      if (head.length < 400) head += chunk.subarray(0, 400).toString('utf8');
      results.feed(chunk);
    }
    if (res.statusCode !== 200 || results.count !== customers) {
      throw new Error(`POST ${channel.path}: HTTP ${res.statusCode ?? '?'}, ${results.count} results for ${customers} customers:\n${head}`);
    }
    return { items: customers, bytes };
  });
  return { result, created: channel.count(head, 'created'), unchanged: channel.count(head, 'unchanged'), failed: channel.count(head, 'failed') };
}

export async function exportAll(server: ServerProcess): Promise<PhaseResult> {
  return phase(server.pid, async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(`${server.url}/xml/export`, resolve).on('error', reject));
    const customers = counter('<customer>');
    let bytes = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      customers.feed(chunk);
    }
    if (res.statusCode !== 200) throw new Error(`GET /xml/export: HTTP ${res.statusCode ?? '?'}`);
    return { items: customers.count, bytes };
  });
}
