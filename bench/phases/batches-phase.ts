// The batches phase (issue 18, items 4 and 7): the same BENCH_BATCH_CUSTOMERS
// customers streamed as a CustomerBatch to POST /xml/batches and as a JSON
// batch to POST /api/batches, each into a fresh crm-bridge of its own (so the
// store starts empty and the peak memory is that import's), in alternating
// order over BENCH_BATCH_ROUNDS rounds (xml, json, then json, xml, ...) so
// that the machine's other work weighs on both alike. Per import: time,
// customers/s, the server's CPU (all its threads) and its peak RSS (VmHWM).
// Both files are written before the first import (not timed).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JSON_BATCH, postBatchFile, XML_BATCH, type BatchChannel } from '../batch-exchange.js';
import { writeBatchFile } from '../batch-file.js';
import { fmt, mib } from '../format.js';
import { writeJsonBatchFile } from '../json-batch-file.js';
import { startServer, withServer } from '../server-process.js';

export const BATCH_CHANNELS = ['xml', 'json'] as const;
export type BatchChannelName = (typeof BATCH_CHANNELS)[number];

const CHANNELS: Record<BatchChannelName, BatchChannel> = { xml: XML_BATCH, json: JSON_BATCH };

export interface BatchImport {
  readonly round: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Server CPU (user + system, every thread) during the import, seconds. */
  readonly cpuSeconds: number | undefined;
  /** The server's peak RSS (VmHWM: from its start to the end of the import). */
  readonly peakRssBytes: number | undefined;
  readonly created: number;
  readonly failed: number;
}

export interface BatchesPhaseResult {
  readonly customers: number;
  readonly bytes: Record<BatchChannelName, number>;
  readonly runs: Record<BatchChannelName, BatchImport[]>;
}

export async function runBatchesPhase(customers: number, rounds: number, serverNodeArgs: readonly string[]): Promise<BatchesPhaseResult> {
  console.log(`\nbatches phase: ${fmt(customers)} customers to POST /xml/batches and POST /api/batches, a fresh crm-bridge each, ${rounds} round(s), alternating`);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'crm-bridge-bench-batches-'));
  try {
    const files: Record<BatchChannelName, string> = { xml: path.join(dir, 'customers.xml'), json: path.join(dir, 'customers.json') };
    const bytes: Record<BatchChannelName, number> = {
      xml: await writeBatchFile(files.xml, customers),
      json: await writeJsonBatchFile(files.json, customers),
    };
    console.log(`  wrote both files (not timed): XML ${mib(bytes.xml)}, JSON ${mib(bytes.json)}`);
    const runs: Record<BatchChannelName, BatchImport[]> = { xml: [], json: [] };
    for (let round = 1; round <= rounds; round++) {
      const order: readonly BatchChannelName[] = round % 2 === 1 ? ['xml', 'json'] : ['json', 'xml'];
      for (const name of order) {
        const run = await withServer(() => startServer(serverNodeArgs), async (server) => {
          const cpuBefore = server.cpuSeconds();
          const posted = await postBatchFile(server, CHANNELS[name], files[name], bytes[name], customers);
          const cpuAfter = server.cpuSeconds();
          return {
            round,
            seconds: posted.result.seconds,
            perSecond: posted.result.perSecond,
            cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
            peakRssBytes: server.peakRssBytes() ?? posted.result.peakRssBytes,
            created: posted.created,
            failed: posted.failed,
          };
        });
        if (run.created !== customers || run.failed !== 0) {
          throw new Error(`POST ${CHANNELS[name].path}: ${run.created} created and ${run.failed} failed of ${customers} customers into an empty store`);
        }
        runs[name].push(run);
        console.log(`  round ${round}, ${CHANNELS[name].path}: ${describe(run, customers)}`);
      }
    }
    const result = { customers, bytes, runs };
    console.log('\nbatches phase, ranges over the rounds:');
    for (const name of BATCH_CHANNELS) console.log(`  ${CHANNELS[name].path}: ${summary(result, name)}`);
    return result;
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

function describe(run: BatchImport, customers: number): string {
  return `${run.seconds.toFixed(1)} s, ${fmt(Math.round(run.perSecond))} customers/s, server CPU ${cpuText(run.cpuSeconds)} ` +
    `(${cpuMicros(run, customers)} µs per customer), server peak RSS ${mib(run.peakRssBytes)}`;
}

function cpuText(seconds: number | undefined): string {
  return seconds === undefined ? 'n/a' : `${seconds.toFixed(1)} s`;
}

function cpuMicros(run: BatchImport, customers: number): string {
  return run.cpuSeconds === undefined ? 'n/a' : fmt(Math.round((run.cpuSeconds * 1e6) / customers));
}

/** "lo-hi unit" (or one value) over the rounds. */
export function range(values: readonly number[], unit = '', format: (n: number) => string = (n) => fmt(Math.round(n))): string {
  if (values.length === 0) return 'n/a';
  const lo = format(Math.min(...values));
  const hi = format(Math.max(...values));
  return `${lo === hi ? lo : `${lo}-${hi}`}${unit === '' ? '' : ` ${unit}`}`;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Customers/s, server CPU µs per customer and peak RSS of one channel, as ranges over the rounds. */
export function summary(r: BatchesPhaseResult, name: BatchChannelName): string {
  const runs = r.runs[name];
  const cpu = runs.flatMap((x) => (x.cpuSeconds === undefined ? [] : [(x.cpuSeconds * 1e6) / r.customers]));
  const rss = runs.flatMap((x) => (x.peakRssBytes === undefined ? [] : [x.peakRssBytes]));
  return `${range(runs.map((x) => x.perSecond), 'customers/s')}, server CPU ${range(cpu, 'µs per customer')}, ` +
    `server peak RSS ${range(rss.map((b) => b / 2 ** 20), 'MiB')}`;
}

/**
 * JSON ÷ XML per round (each round's two imports ran next to each other), one
 * per round: customers/s (above 1: JSON faster) and server CPU (below 1: JSON cheaper).
 */
export function roundRatios(r: BatchesPhaseResult): { rate: number[]; cpu: number[] } {
  const rate: number[] = [];
  const cpu: number[] = [];
  for (const json of r.runs.json) {
    const xml = r.runs.xml.find((x) => x.round === json.round);
    if (xml === undefined) continue;
    rate.push(json.perSecond / xml.perSecond);
    if (json.cpuSeconds !== undefined && xml.cpuSeconds !== undefined && xml.cpuSeconds > 0) cpu.push(json.cpuSeconds / xml.cpuSeconds);
  }
  return { rate, cpu };
}

export function batchesPhaseRows(r: BatchesPhaseResult): [string, string][] {
  return BATCH_CHANNELS.flatMap((name): [string, string][] => [
    [`POST ${CHANNELS[name].path}, ${fmt(r.customers)} customers, ${mib(r.bytes[name])}, fresh server each`,
      r.runs[name].map((run) => `round ${run.round}: ${describe(run, r.customers)}`).join('; ')],
  ]);
}
