// The load phase: crm-bridge filled with BENCH_CUSTOMERS customers through
// UpsertCustomers, then the read operations under load at that size
// (GetCustomer by id, SearchCustomers by name and unfiltered, GetChanges).
// This is where the figures "at 1,000,000 customers" come from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nameTermFor, numberWidth } from '../customers.js';
import { fill, type FillResult } from '../fill.js';
import { fmt, mib } from '../format.js';
import { measure, printResult, probe, randomOf, type LoadOptions, type LoadResult, type LoadSpec } from '../load.js';
import { startServer, withServer, type ServerProcess } from '../server-process.js';
import { customerCount, getChanges, getCustomerById, leafText, searchCustomers } from '../soap-requests.js';

const BATCH_SIZE = 1000; // the contract's maximum per UpsertCustomers
const PAGE_LIMIT = 50;
const CHANGES_LIMIT = 100;
const KEEP_IDS = 100_000;

export interface LoadPhaseResult {
  readonly customers: number;
  readonly inFlight: number;
  readonly fillSeconds: number;
  readonly get: LoadResult;
  readonly searchName: LoadResult;
  readonly searchAll: LoadResult;
  readonly changes: LoadResult;
  readonly dbAfterFillBytes: number;
  readonly dbAtEndBytes: number;
  readonly peakRssBytes: number | undefined;
  /** GetCustomer and SearchCustomers by name again, served by worker processes. */
  readonly withWorkers: { readonly workers: number; readonly get: LoadResult; readonly searchName: LoadResult; readonly peakRssBytes: number | undefined };
}

export interface LoadPhaseOptions {
  readonly customers: number;
  readonly inFlight: number;
  readonly load: Omit<LoadOptions, 'url'>;
  readonly serverNodeArgs: readonly string[];
}

/** The reads measured again with this many worker processes (CRM_WORKERS), on the same database. */
const WORKERS = 2;

async function runSpec(server: ServerProcess, spec: LoadSpec, load: Omit<LoadOptions, 'url'>): Promise<LoadResult> {
  const sample = await probe(server.url, spec.op, spec.nextBody());
  const total = leafText(sample.body, 'total');
  console.log(`\n${spec.title} (${server.name}): one answer is HTTP ${sample.status}, ${customerCount(sample.body)} customers` +
    `${total === undefined ? '' : ` of total ${total}`}, ${fmt(Buffer.byteLength(sample.body))} bytes`);
  const result = await measure(spec, { url: server.url, ...load, serverCpuSeconds: () => server.cpuSeconds() });
  printResult(result);
  return result;
}

export async function runLoadPhase(options: LoadPhaseOptions): Promise<LoadPhaseResult> {
  const { customers, inFlight, load } = options;
  // One data folder for both servers: filled once, read by one process and then by WORKERS.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bridge-bench-load-'));
  try {
    const single = await withServer(() => startServer(options.serverNodeArgs, { dataDir }), async (server) => {
      const url = server.url;
      console.log(`\nload phase: crm-bridge (pid ${server.pid}) at ${url}, data in ${server.dataDir}`);
      console.log(`fill: UpsertCustomers, ${BATCH_SIZE} customers per request, ${inFlight} in flight`);
      const filled = await fill({ url, customers, batchSize: BATCH_SIZE, inFlight, keepIds: KEEP_IDS });
      console.log(`  filled ${fmt(customers)} customers in ${filled.seconds.toFixed(1)} s: ${fmt(Math.round(customers / filled.seconds))} customers/s`);
      const dbAfterFillBytes = server.databaseBytes();

      const cursors = await middleCursors(url, filled, 32);
      const width = numberWidth(customers);
      const specs = {
        get: { title: 'GetCustomer by id', op: 'GetCustomer', nextBody: () => getCustomerById(randomOf(filled.sampledIds)) },
        searchName: {
          title: `SearchCustomers name substring, limit ${PAGE_LIMIT}`,
          op: 'SearchCustomers',
          nextBody: () => searchCustomers(nameTermFor(Math.floor(Math.random() * customers), width), PAGE_LIMIT),
        },
        searchAll: { title: `SearchCustomers no filter, limit ${PAGE_LIMIT}`, op: 'SearchCustomers', nextBody: () => searchCustomers(undefined, PAGE_LIMIT) },
        changes: { title: `GetChanges from mid-fill, limit ${CHANGES_LIMIT}`, op: 'GetChanges', nextBody: () => getChanges(randomOf(cursors), CHANGES_LIMIT) },
      } satisfies Record<string, LoadSpec>;

      console.log(`\nload: autocannon, ${load.connections} connections, SOAP 1.1 over HTTP/1.1 keep-alive; connections admitted ` +
        `with GET /health, then ${load.warmupSeconds} s of warm-up, then ${load.seconds} s counted (see bench/load.ts)`);
      console.log(`  GetCustomer ids: ${fmt(filled.sampledIds.length)} ids from the fill, picked at random per request`);
      console.log(`  name terms: '#' + customer number less its last digit, e.g. '${nameTermFor(Math.floor(customers / 2), width)}'`);
      console.log(`  GetChanges cursors: ${cursors.length} updatedAt values from 40-60 % of the fill, ${cursors[0] ?? '?'} .. ${cursors.at(-1) ?? '?'}`);
      const get = await runSpec(server, specs.get, load);
      const searchName = await runSpec(server, specs.searchName, load);
      const searchAll = await runSpec(server, specs.searchAll, load);
      const changes = await runSpec(server, specs.changes, load);
      return {
        specs,
        result: {
          customers,
          inFlight,
          fillSeconds: filled.seconds,
          get,
          searchName,
          searchAll,
          changes,
          dbAfterFillBytes,
          dbAtEndBytes: server.databaseBytes(),
          peakRssBytes: server.peakRssBytes(),
        },
      };
    });
    const withWorkers = await withServer(() => startServer(options.serverNodeArgs, { dataDir, workers: WORKERS }), async (server) => {
      console.log(`\nload phase again with CRM_WORKERS=${WORKERS} (pid ${server.pid}) on the same data, the reads that use a core each`);
      return {
        workers: WORKERS,
        get: await runSpec(server, single.specs.get, load),
        searchName: await runSpec(server, single.specs.searchName, load),
        peakRssBytes: server.peakRssBytes(),
      };
    });
    return { ...single.result, withWorkers };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * GetChanges cursors from the middle of the fill: the updatedAt of customers
 * loaded between 40 % and 60 %, read back with GetCustomer (the server's own
 * clock, so no skew between bench and service).
 */
async function middleCursors(url: string, filled: FillResult, wanted: number): Promise<string[]> {
  const ids = filled.sampledIds;
  const from = Math.floor(ids.length * 0.4);
  const to = Math.max(from + 1, Math.floor(ids.length * 0.6));
  const step = Math.max(1, Math.floor((to - from) / wanted));
  const cursors: string[] = [];
  for (let i = from; i < to && cursors.length < wanted; i += step) {
    const answer = await probe(url, 'GetCustomer', getCustomerById(ids[i] ?? ''));
    const updatedAt = leafText(answer.body, 'updatedAt');
    if (answer.status !== 200 || updatedAt === undefined) {
      throw new Error(`GetCustomer of a filled customer: HTTP ${answer.status}\n${answer.body.slice(0, 3000)}`);
    }
    cursors.push(updatedAt);
  }
  return cursors;
}

/** The figures of this phase for the figures table. */
export function loadPhaseRows(r: LoadPhaseResult): [string, string][] {
  return [
    ['customers loaded (load phase)', fmt(r.customers)],
    [`fill (UpsertCustomers, ${BATCH_SIZE} per request, ${r.inFlight} in flight)`, `${r.fillSeconds.toFixed(1)} s, ${fmt(Math.round(r.customers / r.fillSeconds))} customers/s`],
    ...[r.get, r.searchName, r.searchAll, r.changes].flatMap((m): [string, string][] => [
      [`${m.title}: req/s`, fmt(Math.round(m.reqPerSec))],
      [`${m.title}: p50 / p99 / max latency`, `${m.p50Ms} ms / ${m.p99Ms} ms / ${m.maxMs} ms`],
      [`${m.title}: non-2xx / connection errors`, `${m.non2xx} / ${m.errors}`],
    ]),
    ['database size (SQLite + WAL) after fill / at end', `${mib(r.dbAfterFillBytes)} / ${mib(r.dbAtEndBytes)}`],
    ['server peak RSS (load phase)', mib(r.peakRssBytes)],
    ...[r.withWorkers.get, r.withWorkers.searchName].flatMap((m): [string, string][] => [
      [`${m.title}, CRM_WORKERS=${r.withWorkers.workers}: req/s`, fmt(Math.round(m.reqPerSec))],
      [`${m.title}, CRM_WORKERS=${r.withWorkers.workers}: p50 / p99 / max latency`, `${m.p50Ms} ms / ${m.p99Ms} ms / ${m.maxMs} ms`],
      [`${m.title}, CRM_WORKERS=${r.withWorkers.workers}: non-2xx / connection errors`, `${m.non2xx} / ${m.errors}`],
    ]),
    [`server peak RSS, CRM_WORKERS=${r.withWorkers.workers} (each process's peak, summed)`, mib(r.withWorkers.peakRssBytes)],
  ];
}
