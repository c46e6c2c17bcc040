// npm run bench: starts the service, fills it through UpsertCustomers, measures
// the read operations under load and prints a markdown table for the README.
// It reports figures and never judges them: a slow run is still a run.
//
// Environment (all optional):
//   BENCH_CUSTOMERS        customers to load (default 1,000,000; 20000 for a quick run)
//   BENCH_SECONDS          seconds per measurement (default 10)
//   BENCH_CONNECTIONS      concurrent connections per measurement (default 32)
//   BENCH_IN_FLIGHT        UpsertCustomers requests in flight during the fill (default 4)
//   BENCH_BATCH_CUSTOMERS  customers in the streamed /xml/batches import and export (default:
//                          BENCH_CUSTOMERS; 0 skips it)
//   BENCH_WARMUP_SECONDS   uncounted load before each measured window (default 2)
//   BENCH_SERVER_NODE_ARGS node flags for the server process only, e.g.
//                          '--cpu-prof --cpu-prof-dir=/tmp/prof' (NODE_OPTIONS refuses --cpu-prof)
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { nameTermFor, numberWidth } from './customers.js';
import { fill, fmt, type FillResult } from './fill.js';
import { measure, probe, type LoadOptions, type LoadResult, type LoadSpec } from './load.js';
import { startServer } from './server-process.js';
import { exportAll, importBatch, type PhaseResult } from './batch-exchange.js';
import { customerCount, getChanges, getCustomerById, leafText, searchCustomers } from './soap-requests.js';

const BATCH_SIZE = 1000; // the contract's maximum per UpsertCustomers
const PAGE_LIMIT = 50;
const CHANGES_LIMIT = 100;
const KEEP_IDS = 100_000;

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  return value;
}

function randomOf<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)] as T;
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

function printResult(r: LoadResult): void {
  console.log(`  ${r.title}: ${fmt(Math.round(r.reqPerSec))} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (max ${r.maxMs} ms), ` +
    `non-2xx ${r.non2xx}, connection errors ${r.errors}` +
    `${r.serverCpuMicros === undefined ? '' : `; server CPU ${fmt(r.serverCpuMicros)} µs per answer`}`);
  console.log(`    ${fmt(r.requests)} answers in ${r.windowSeconds.toFixed(1)} s, ${fmt(r.meanBytes)} bytes each; ` +
    `all connections admitted after ${r.admissionMs} ms`);
  if (r.firstFault !== undefined) {
    console.log(`  first faulty answer (HTTP ${r.firstFault.status}):\n${r.firstFault.body.slice(0, 5000)}`);
  }
}

/** The commit measured, and whether src/ differed from it: figures without it cannot be compared. */
function revision(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'xsd', 'wsdl') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/xsd/wsdl' : ''}`;
  } catch {
    return 'unknown (no git)';
  }
}

function machine(): { cpu: string; memory: string; system: string; node: string } {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model.trim() ?? 'unknown'} × ${cpus.length}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    system: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

async function main(): Promise<void> {
  const customers = intEnv('BENCH_CUSTOMERS', 1_000_000, 1);
  const load: Omit<LoadOptions, 'url'> = {
    seconds: intEnv('BENCH_SECONDS', 10, 1),
    connections: intEnv('BENCH_CONNECTIONS', 32, 1),
    warmupSeconds: intEnv('BENCH_WARMUP_SECONDS', 2, 0),
  };
  const inFlight = intEnv('BENCH_IN_FLIGHT', 4, 1);
  const box = machine();
  // Other work on the machine takes CPU from the server: the load average says whether there was any.
  const loadBefore = os.loadavg()[0] ?? 0;
  const measured = revision();
  console.log(`crm-bridge bench: ${fmt(customers)} customers; ${box.cpu}, ${box.memory}, ${box.system}, Node ${box.node}; ` +
    `load average ${loadBefore.toFixed(2)}; crm-bridge ${measured}`);

  const serverArgs = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(/\s+/).filter((a) => a !== '');
  const server = await startServer(serverArgs);
  console.log(`server pid ${server.pid} at ${server.url}, data in ${server.dataDir}`);
  try {
    const url = server.url;
    const options: LoadOptions = { url, ...load, serverCpuSeconds: () => server.cpuSeconds() };

    console.log(`\nfill: UpsertCustomers, ${BATCH_SIZE} customers per request, ${inFlight} in flight`);
    const filled = await fill({ url, customers, batchSize: BATCH_SIZE, inFlight, keepIds: KEEP_IDS });
    const fillRate = customers / filled.seconds;
    console.log(`  filled ${fmt(customers)} customers in ${filled.seconds.toFixed(1)} s: ${fmt(Math.round(fillRate))} customers/s`);
    const dbAfterFill = server.databaseBytes();

    const cursors = await middleCursors(url, filled, 32);
    const width = numberWidth(customers);
    const specs: LoadSpec[] = [
      { title: 'GetCustomer by id', op: 'GetCustomer', nextBody: () => getCustomerById(randomOf(filled.sampledIds)) },
      {
        title: `SearchCustomers name substring, limit ${PAGE_LIMIT}`,
        op: 'SearchCustomers',
        nextBody: () => searchCustomers(nameTermFor(Math.floor(Math.random() * customers), width), PAGE_LIMIT),
      },
      { title: `SearchCustomers no filter, limit ${PAGE_LIMIT}`, op: 'SearchCustomers', nextBody: () => searchCustomers(undefined, PAGE_LIMIT) },
      { title: `GetChanges from mid-fill, limit ${CHANGES_LIMIT}`, op: 'GetChanges', nextBody: () => getChanges(randomOf(cursors), CHANGES_LIMIT) },
    ];

    console.log(`\nload: autocannon, ${load.connections} connections, SOAP 1.1 over HTTP/1.1 keep-alive; connections admitted ` +
      `with GET /health, then ${load.warmupSeconds} s of warm-up, then ${load.seconds} s counted (see bench/load.ts)`);
    console.log(`  GetCustomer ids: ${fmt(filled.sampledIds.length)} ids from the fill, picked at random per request`);
    console.log(`  name terms: '#' + customer number less its last digit, e.g. '${nameTermFor(Math.floor(customers / 2), width)}'`);
    console.log(`  GetChanges cursors: ${cursors.length} updatedAt values from 40-60 % of the fill, ${cursors[0] ?? '?'} .. ${cursors.at(-1) ?? '?'}`);
    const results: LoadResult[] = [];
    for (const spec of specs) {
      const sample = await probe(url, spec.op, spec.nextBody());
      const total = leafText(sample.body, 'total');
      console.log(`\n${spec.title}: one answer is HTTP ${sample.status}, ${customerCount(sample.body)} customers` +
        `${total === undefined ? '' : ` of total ${total}`}, ${fmt(Buffer.byteLength(sample.body))} bytes`);
      const result = await measure(spec, options);
      printResult(result);
      results.push(result);
    }

    const dbBytes = server.databaseBytes();
    const peak = server.peakRssBytes();
    await server.stop();

    const batchCustomers = intEnv('BENCH_BATCH_CUSTOMERS', customers, 0);
    const exchange = batchCustomers === 0 ? undefined : await measureExchange(batchCustomers, serverArgs);

    const rows: [string, string][] = [
      ['crm-bridge commit', measured],
      ['customers loaded', fmt(customers)],
      ['fill (UpsertCustomers, 1000 per request, ' + inFlight + ' in flight)', `${filled.seconds.toFixed(1)} s, ${fmt(Math.round(fillRate))} customers/s`],
      ...results.flatMap((r): [string, string][] => [
        [`${r.title}: req/s`, fmt(Math.round(r.reqPerSec))],
        [`${r.title}: p50 / p99 / max latency`, `${r.p50Ms} ms / ${r.p99Ms} ms / ${r.maxMs} ms`],
        [`${r.title}: server CPU per answer`, r.serverCpuMicros === undefined ? 'n/a' : `${fmt(r.serverCpuMicros)} µs`],
        [`${r.title}: non-2xx / connection errors`, `${r.non2xx} / ${r.errors}`],
      ]),
      ['database size (SQLite + WAL) after fill / at end', `${(dbAfterFill / 2 ** 20).toFixed(0)} MiB / ${(dbBytes / 2 ** 20).toFixed(0)} MiB`],
      ['server peak RSS', peak === undefined ? 'n/a' : `${(peak / 2 ** 20).toFixed(0)} MiB`],
      ...(exchange === undefined ? [] : exchangeRows(batchCustomers, exchange)),
      ['load', `autocannon, ${load.connections} connections, ${load.seconds} s per figure after ${load.warmupSeconds} s warm-up, bench and server in separate processes`],
      ['1-minute load average before the bench / at the end (1 = one busy CPU)', `${loadBefore.toFixed(2)} / ${(os.loadavg()[0] ?? 0).toFixed(2)}`],
      ['CPU', box.cpu],
      ['memory', box.memory],
      ['OS', box.system],
      ['Node.js', box.node],
    ];
    console.log('\n| figure | value |\n| --- | --- |');
    for (const [figure, value] of rows) console.log(`| ${figure} | ${value} |`);
  } catch (err) {
    const exit = server.unexpectedExit();
    if (exit !== undefined) console.error(`the server ${exit}; the error below is its consequence`);
    throw err;
  } finally {
    await server.stop();
  }
}

interface Exchange {
  readonly imported: PhaseResult & { created: number; failed: number };
  readonly exported: PhaseResult;
}

/** The streamed batch exchange on a fresh server of its own, so its peak memory is its own. */
async function measureExchange(customers: number, serverArgs: readonly string[]): Promise<Exchange> {
  const server = await startServer(serverArgs);
  try {
    console.log(`\nbatch exchange: a ${fmt(customers)}-customer CustomerBatch streamed to POST /xml/batches, then GET /xml/export (fresh server ${server.pid})`);
    const imported = await importBatch(server, customers, (n) => console.log(`  sent ${fmt(n)} customers`));
    console.log(`  import: ${imported.seconds.toFixed(1)} s, ${fmt(Math.round(imported.perSecond))} customers/s, ${fmt(imported.created)} created, ` +
      `${fmt(imported.failed)} failed, ${(imported.bytes / 2 ** 20).toFixed(0)} MiB sent, server peak RSS ${mib(imported.peakRssBytes)}`);
    const exported = await exportAll(server);
    console.log(`  export: ${exported.seconds.toFixed(1)} s, ${fmt(Math.round(exported.perSecond))} customers/s, ${fmt(exported.items)} customers, ` +
      `${(exported.bytes / 2 ** 20).toFixed(0)} MiB, server peak RSS ${mib(exported.peakRssBytes)}`);
    return { imported, exported };
  } finally {
    await server.stop();
  }
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function exchangeRows(customers: number, e: Exchange): [string, string][] {
  return [
    [`POST /xml/batches, ${fmt(customers)} customers streamed`, `${e.imported.seconds.toFixed(1)} s, ${fmt(Math.round(e.imported.perSecond))} customers/s`],
    ['POST /xml/batches: server peak RSS', mib(e.imported.peakRssBytes)],
    [`GET /xml/export, ${fmt(e.exported.items)} customers`, `${e.exported.seconds.toFixed(1)} s, ${fmt(Math.round(e.exported.perSecond))} customers/s`],
    ['GET /xml/export: server peak RSS', mib(e.exported.peakRssBytes)],
  ];
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
