// The batch exchange at full size: a CustomerBatch of BENCH_BATCH_CUSTOMERS
// generated on the fly and streamed to POST /xml/batches (so the bench itself
// holds no file), then GET /xml/export of the same store, each with the
// server's peak resident memory during that phase (sampled from /proc).
import fs from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';
import { numberWidth, syntheticCustomer } from './customers.js';
import type { ServerProcess } from './server-process.js';
import { customerXml } from './soap-requests.js';

const NS = 'urn:crm-bridge:customer:v1';

export interface PhaseResult {
  readonly seconds: number;
  readonly perSecond: number;
  readonly peakRssBytes: number | undefined;
  readonly items: number;
  readonly bytes: number;
}

/** Samples the server's RSS while `work` runs; the phase's peak. */
async function phase(pid: number, work: () => Promise<{ items: number; bytes: number }>): Promise<PhaseResult> {
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

/** Counts occurrences of `needle` in a streamed body, across chunk boundaries. */
function counter(needle: string): { feed(text: string): void; count: number } {
  let tail = '';
  const state = {
    count: 0,
    feed(text: string) {
      const s = tail + text;
      for (let i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length)) state.count += 1;
      tail = s.slice(-(needle.length - 1));
    },
  };
  return state;
}

export async function importBatch(server: ServerProcess, customers: number, onProgress: (n: number) => void): Promise<PhaseResult & { created: number; failed: number }> {
  let head = '';
  const result = await phase(server.pid, async () => {
    const width = numberWidth(customers);
    const req = http.request(`${server.url}/xml/batches`, { method: 'POST', headers: { 'content-type': 'application/xml' } });
    const answered = once(req, 'response') as Promise<[http.IncomingMessage]>;
    let bytes = 0;
    const write = async (text: string): Promise<void> => {
      bytes += Buffer.byteLength(text);
      if (!req.write(text)) await once(req, 'drain');
    };
    await write(`<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS}" batchId="bench-${Date.now()}">\n`);
    for (let n = 0; n < customers; n++) {
      await write(`${customerXml(syntheticCustomer(n, width))}\n`);
      if (n % 100_000 === 99_999) onProgress(n + 1);
    }
    req.end('</CustomerBatch>\n');
    const [res] = await answered;
    const results = counter('<result>');
    res.setEncoding('utf8');
    for await (const chunk of res as AsyncIterable<string>) {
      if (head.length < 400) head += chunk.slice(0, 400);
      results.feed(chunk);
    }
    if (res.statusCode !== 200 || results.count !== customers) {
      throw new Error(`POST /xml/batches: HTTP ${res.statusCode ?? '?'}, ${results.count} results for ${customers} customers:\n${head}`);
    }
    return { items: customers, bytes };
  });
  const figure = (name: string): number => Number(new RegExp(`<${name}>(\\d+)</${name}>`).exec(head)?.[1] ?? NaN);
  return { ...result, created: figure('created'), failed: figure('failed') };
}

export async function exportAll(server: ServerProcess): Promise<PhaseResult> {
  return phase(server.pid, async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(`${server.url}/xml/export`, resolve).on('error', reject));
    const customers = counter('<customer>');
    let bytes = 0;
    res.setEncoding('utf8');
    for await (const chunk of res as AsyncIterable<string>) {
      bytes += Buffer.byteLength(chunk);
      customers.feed(chunk);
    }
    if (res.statusCode !== 200) throw new Error(`GET /xml/export: HTTP ${res.statusCode ?? '?'}`);
    return { items: customers.count, bytes };
  });
}
