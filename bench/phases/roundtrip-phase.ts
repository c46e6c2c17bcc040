// The roundtrip phase (issue 15, item 2): the round trips docs/batch-files.md and the README show,
// at BENCH_BATCH_CUSTOMERS, each timed and checked: (a) the generator's file
// imported with `crm-bridge import` into an empty store A; (b) `crm-bridge
// export` of A; (c) that export imported into an empty store B (all CREATED)
// and (d) into A (all UNCHANGED); then a crm-bridge server on A: (e) GET
// /xml/export streamed straight into POST /xml/batches (HTTP 200, all
// UNCHANGED) and (f) the exported file dropped into the drop folder's inbox
// the documented way (archived, its report all UNCHANGED). The bench never
// judges a timing, but a wrong count, exit status or HTTP status fails the
// phase at once: the later steps stand on the earlier ones. Last, (g) the
// export alone, GET /xml/export and GET /api/export drained, alternating.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { counter, phase } from '../batch-exchange.js';
import { writeBatchFile } from '../batch-file.js';
import { expectReport, reportTally, tallyReportFile, type RecordStatus, type ReportCounts } from '../batch-report.js';
import { describeExit, runCrmBridge, type CommandRun } from '../crm-bridge-command.js';
import { fmt, mib } from '../format.js';
import { printTable } from '../report/markdown.js';
import { startServer, withServer, type ServerProcess } from '../server-process.js';

export interface RoundtripStep {
  /** "(a) crm-bridge import ..." */
  readonly name: string;
  readonly seconds: number;
  readonly perSecond: number;
  /** CPU of the command, or of the server during the step. */
  readonly cpuSeconds: number | undefined;
  /** Peak RSS of the command, or of the server during the step (sampled). */
  readonly peakRssBytes: number | undefined;
  /** Whose CPU and memory: 'command' or 'server'. */
  readonly measuredOn: 'command' | 'server';
  /** What was checked and held, e.g. "exit 0, all 2,000 CREATED". */
  readonly checked: string;
}

export interface RoundtripPhaseResult {
  readonly customers: number;
  /** Size of the export file of step (b). */
  readonly exportBytes: number;
  readonly steps: readonly RoundtripStep[];
}

/** The drop folder's poll and stability wait during step (f): short, so the step measures the import, not the waiting. */
const DROP_FOLDER_MS = 100;
/** How often step (f) asks GET /exchange whether the file failed (a file that keeps failing stays in work/). */
const EXCHANGE_CHECK_MS = 1000;
const DROPPED_NAME = 'roundtrip.xml';
/** Rounds of step (g), each GET /xml/export and GET /api/export in turn, the order swapped every round. */
const EXPORT_ROUNDS = 2;
const EXPORT_PATHS = { xml: '/xml/export', json: '/api/export' } as const;
/** What starts each customer of an export: its element, or its line's object (the only members named id are customers'). */
const EXPORT_CUSTOMER = { xml: '<customer>', json: '{"id":' } as const;

export async function runRoundtripPhase(customers: number, serverNodeArgs: readonly string[]): Promise<RoundtripPhaseResult> {
  console.log(`\nroundtrip phase: the README's round trips at ${fmt(customers)} customers (crm-bridge import/export, ` +
    'GET /xml/export -> POST /xml/batches, the drop folder)');
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'crm-bridge-bench-roundtrip-'));
  const storeA = path.join(dir, 'store-a');
  const storeB = path.join(dir, 'store-b');
  const exported = path.join(dir, 'export.xml');
  const steps: RoundtripStep[] = [];
  const done = (step: RoundtripStep): void => {
    steps.push(step);
    console.log(`  ${step.name}: ${step.seconds.toFixed(1)} s, ${fmt(Math.round(step.perSecond))} customers/s, ${step.measuredOn} CPU ` +
      `${step.cpuSeconds === undefined ? 'n/a' : `${step.cpuSeconds.toFixed(1)} s`}, ${step.measuredOn} peak RSS ${mib(step.peakRssBytes)}; ${step.checked}`);
  };
  try {
    const generated = path.join(dir, 'customers.xml');
    const generatedBytes = await writeBatchFile(generated, customers);
    console.log(`  wrote the ${fmt(customers)}-customer generator file, ${mib(generatedBytes)} (not timed)`);
    done(await importStep('(a) crm-bridge import of the generator file into an empty store A', generated, storeA, customers, 'CREATED'));
    await fs.promises.rm(generated);

    done(await exportStep('(b) crm-bridge export of store A', exported, storeA, customers));
    const exportBytes = (await fs.promises.stat(exported)).size;

    done(await importStep('(c) crm-bridge import of the export into an empty store B', exported, storeB, customers, 'CREATED'));
    await fs.promises.rm(storeB, { recursive: true, force: true });

    done(await importStep('(d) crm-bridge import of the export into store A again', exported, storeA, customers, 'UNCHANGED'));

    const env = { CRM_EXCHANGE_POLL_MS: String(DROP_FOLDER_MS), CRM_EXCHANGE_STABLE_MS: String(DROP_FOLDER_MS) };
    await withServer(() => startServer(serverNodeArgs, { dataDir: storeA, env }), async (server) => {
      console.log(`  crm-bridge ${server.pid} serving store A (drop folder polled every ${DROP_FOLDER_MS} ms)`);
      done(await httpRoundTrip('(e) GET /xml/export streamed into POST /xml/batches, store A', server, customers));
      done(await dropFolderStep('(f) the export dropped into the inbox of store A', server, exported, customers));
    });
    // (g) the export alone, XML beside JSON (issue 18): alternating, so the machine's other work weighs on both
    // alike, each on a server of its own, so that its peak RSS is the export's and not an earlier step's.
    for (let round = 1; round <= EXPORT_ROUNDS; round++) {
      for (const format of round % 2 === 1 ? (['xml', 'json'] as const) : (['json', 'xml'] as const)) {
        const name = `(g${round}) GET ${EXPORT_PATHS[format]} of store A, drained, a fresh server (round ${round})`;
        done(await withServer(() => startServer(serverNodeArgs, { dataDir: storeA }), (server) => exportDrained(name, server, format, customers)));
      }
    }
    const result = { customers, exportBytes, steps };
    console.log('');
    printTable(ROUNDTRIP_TABLE_HEADERS, roundtripTableRows(result));
    return result;
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

function commandStep(name: string, run: CommandRun, customers: number, checked: string): RoundtripStep {
  return { name, seconds: run.seconds, perSecond: customers / run.seconds, cpuSeconds: run.cpuSeconds, peakRssBytes: run.peakRssBytes, measuredOn: 'command', checked };
}

function expectExit0(what: string, run: CommandRun): void {
  if (run.exitCode !== 0) throw new Error(`${what}: ${describeExit(run)}, 0 expected; its last lines:\n${run.stderrTail}`);
}

async function importStep(name: string, file: string, store: string, customers: number, status: RecordStatus): Promise<RoundtripStep> {
  const report = `${file}.report.xml`;
  try {
    const run = await runCrmBridge(['import', file, '--report', report], store);
    expectExit0(name, run);
    expectReport(name, await tallyReportFile(report), customers, status);
    return commandStep(name, run, customers, `${describeExit(run)}, report: all ${fmt(customers)} ${status}`);
  } finally {
    await fs.promises.rm(report, { force: true });
  }
}

async function exportStep(name: string, file: string, store: string, customers: number): Promise<RoundtripStep> {
  const run = await runCrmBridge(['export', file], store);
  expectExit0(name, run);
  const said = /(\d+) customers exported/.exec(run.stdout)?.[1];
  const inFile = counter('<customer>');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) inFile.feed(chunk);
  if (Number(said) !== customers || inFile.count !== customers) {
    throw new Error(`${name}: it says '${run.stdout.trim()}' and the file holds ${fmt(inFile.count)} customers, ${fmt(customers)} expected`);
  }
  return commandStep(name, run, customers, `${describeExit(run)}, ${fmt(customers)} customers in the file`);
}

/** CPU the server used while `work` ran, with the work's timing and the server's sampled peak RSS. */
async function serverStep(name: string, server: ServerProcess, customers: number, work: () => Promise<{ bytes: number }>): Promise<Omit<RoundtripStep, 'checked'>> {
  const cpuBefore = server.cpuSeconds();
  const measured = await phase(server.pid, async () => ({ items: customers, bytes: (await work()).bytes }));
  const cpuAfter = server.cpuSeconds();
  return {
    name,
    seconds: measured.seconds,
    perSecond: measured.perSecond,
    cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    peakRssBytes: measured.peakRssBytes,
    measuredOn: 'server',
  };
}

function get(url: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => http.get(url, resolve).on('error', reject));
}

async function text(res: http.IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of res as AsyncIterable<Buffer>) body += chunk.toString('utf8');
  return body;
}

async function httpRoundTrip(name: string, server: ServerProcess, customers: number): Promise<RoundtripStep> {
  let answer: ReportCounts | undefined;
  const step = await serverStep(name, server, customers, async () => {
    const exportRes = await get(`${server.url}/xml/export`);
    if (exportRes.statusCode !== 200) throw new Error(`${name}: GET /xml/export answered HTTP ${String(exportRes.statusCode)}:\n${(await text(exportRes)).slice(0, 600)}`);
    let bytes = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback(null, chunk);
      },
    });
    const req = http.request(`${server.url}/xml/batches`, { method: 'POST', headers: { 'content-type': 'application/xml' } });
    const answered = once(req, 'response') as Promise<[http.IncomingMessage]>;
    // Its failure (the server answering early and closing) is read after the answer, which says more.
    const sending = pipeline(exportRes, counted, req).then(() => undefined, (err: unknown) => err);
    const [res] = await answered;
    const tally = reportTally();
    for await (const chunk of res as AsyncIterable<Buffer>) tally.feed(chunk);
    const counts = tally.counts();
    if (res.statusCode !== 200) throw new Error(`${name}: POST /xml/batches answered HTTP ${String(res.statusCode)}:\n${counts.head.slice(0, 600)}`);
    const sendError = await sending;
    if (sendError !== undefined) throw new Error(`${name}: sending the export failed after a 200 answer`, { cause: sendError });
    answer = counts;
    return { bytes };
  });
  if (answer === undefined) throw new Error(`${name}: no answer`);
  expectReport(name, answer, customers, 'UNCHANGED');
  return { ...step, checked: `GET 200, POST 200, answer: all ${fmt(customers)} UNCHANGED` };
}

/** GET /xml/export or /api/export read to the end as fast as the client can, its customers counted. */
async function exportDrained(name: string, server: ServerProcess, format: 'xml' | 'json', customers: number): Promise<RoundtripStep> {
  let found = 0;
  let read = 0;
  const measured = await serverStep(name, server, customers, async () => {
    const res = await get(`${server.url}${EXPORT_PATHS[format]}`);
    if (res.statusCode !== 200) throw new Error(`${name}: answered HTTP ${String(res.statusCode)}:\n${(await text(res)).slice(0, 600)}`);
    const count = counter(EXPORT_CUSTOMER[format]);
    let bytes = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      count.feed(chunk);
    }
    found = count.count;
    read = bytes;
    return { bytes };
  });
  if (found !== customers) throw new Error(`${name}: ${fmt(found)} customers in the answer, ${fmt(customers)} expected`);
  return { ...measured, checked: `HTTP 200, all ${fmt(customers)} customers in the answer, ${mib(read)}` };
}

async function dropFolderStep(name: string, server: ServerProcess, file: string, customers: number): Promise<RoundtripStep> {
  const exchange = path.join(server.dataDir, 'exchange');
  const folder = (f: string): string => path.join(exchange, f);
  await fs.promises.mkdir(folder('inbox'), { recursive: true });
  // The documented way: written under a partial name the watcher ignores, then renamed into place.
  const partial = path.join(folder('inbox'), `.${DROPPED_NAME}.part`);
  await fs.promises.copyFile(file, partial);
  const bytes = (await fs.promises.stat(partial)).size;
  const archivedPrefix = `${DROPPED_NAME.replace(/\.xml$/, '')}-`;
  const step = await serverStep(name, server, customers, async () => {
    await fs.promises.rename(partial, path.join(folder('inbox'), DROPPED_NAME));
    let checked = Date.now();
    for (;;) {
      await sleep(DROP_FOLDER_MS / 2);
      if ((await fs.promises.readdir(folder('archive'))).some((f) => f.startsWith(archivedPrefix))) return { bytes };
      const refused = await fs.promises.readdir(folder('error')).catch(() => []);
      if (refused.length > 0) throw new Error(`${name}: the file went to error/ (${refused.join(', ')}); its report is in ${folder('outbox')}`);
      const exit = server.unexpectedExit();
      if (exit !== undefined) throw new Error(`${name}: the server ${exit}`);
      if (Date.now() - checked >= EXCHANGE_CHECK_MS) {
        checked = Date.now();
        const status = await text(await get(`${server.url}/exchange`));
        const lastError = /<lastError>[\s\S]*<\/lastError>/.exec(status)?.[0];
        // A file that fails unexpectedly stays in work/ and is tried again and again: say so instead of waiting for ever.
        if (lastError !== undefined) throw new Error(`${name}: GET /exchange reports an error: ${lastError}`);
      }
    }
  });
  expectReport(name, await tallyReportFile(path.join(folder('outbox'), `${DROPPED_NAME}.report.xml`)), customers, 'UNCHANGED');
  return { ...step, checked: `archived, report in outbox/: all ${fmt(customers)} UNCHANGED (time from the rename into inbox/ to the file in archive/)` };
}

export const ROUNDTRIP_TABLE_HEADERS = ['step', 's', 'customers/s', 'CPU s', 'peak RSS', 'of', 'checked'] as const;

export function roundtripTableRows(result: RoundtripPhaseResult): string[][] {
  return result.steps.map((s) => [
    s.name,
    s.seconds.toFixed(1),
    fmt(Math.round(s.perSecond)),
    s.cpuSeconds === undefined ? 'n/a' : s.cpuSeconds.toFixed(1),
    mib(s.peakRssBytes),
    s.measuredOn,
    s.checked,
  ]);
}

/** Rows of the figures table. */
export function roundtripPhaseRows(result: RoundtripPhaseResult): [string, string][] {
  return result.steps.map((s): [string, string] => [
    `${s.name}, ${fmt(result.customers)} customers`,
    `${s.seconds.toFixed(1)} s, ${fmt(Math.round(s.perSecond))} customers/s, ${s.measuredOn} CPU ` +
      `${s.cpuSeconds === undefined ? 'n/a' : `${s.cpuSeconds.toFixed(1)} s`}, ${s.measuredOn} peak RSS ${mib(s.peakRssBytes)}; ${s.checked}`,
  ]);
}
