// The figures table: every figure of the run that the comparison table does
// not show in full (latencies of each contender, fills, ceilings' details,
// database size), then how it was measured and on what machine.
import { fmt, mib } from '../format.js';
import type { LoadResult } from '../load.js';
import type { Machine } from '../machine.js';
import { authPhaseRows } from '../phases/auth-phase.js';
import { batchesPhaseRows } from '../phases/batches-phase.js';
import { CONTENDERS } from '../phases/compare-phase.js';
import { exchangePhaseRows } from '../phases/exchange-phase.js';
import { layoutsPhaseRows } from '../phases/layouts-phase.js';
import { loadPhaseRows } from '../phases/load-phase.js';
import { roundtripPhaseRows } from '../phases/roundtrip-phase.js';
import type { BenchResults } from './bench-results.js';
import { printTable } from './markdown.js';

export interface RunContext {
  readonly revision: string;
  readonly machine: Machine;
  readonly loadBefore: number;
  readonly loadAfter: number;
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
}

function measured(r: LoadResult): string {
  return `${fmt(Math.round(r.reqPerSec))} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms, ` +
    `${r.non2xx} non-2xx, ${r.errors} connection errors`;
}

function compareRows(r: BenchResults): [string, string][] {
  const c = r.compare;
  if (c === undefined) return [];
  return CONTENDERS.flatMap((name): [string, string][] => {
    const x = c.results[name];
    return [
      [`${name}: fill of ${fmt(c.customers)} customers (compare phase)`, `${x.fillSeconds.toFixed(1)} s`],
      [`${name}: ${x.get.title}`, measured(x.get)],
      [`${name}: ${x.search.title}`, measured(x.search)],
      [`${name}: ${x.create.title}`, measured(x.create)],
    ];
  });
}

function ceilingRows(r: BenchResults): [string, string][] {
  const t = r.ceilings;
  if (t === undefined) return [];
  const rows: [string, string][] = [
    [t.transport.http.title, measured(t.transport.http)],
    [t.transport.express.title, measured(t.transport.express)],
  ];
  const x = t.xmllint;
  if (x !== undefined) {
    rows.push(['xmllint --stream --schema', x.kind === 'absent' ? x.reason
      : `${fmt(x.customers)} customers, ${mib(x.bytes)}, ${x.seconds.toFixed(2)} s (${x.version})`]);
  }
  const { bulk, single } = t.sqlite;
  if (bulk !== undefined) rows.push(['raw better-sqlite3, 1000 per transaction', `${fmt(bulk.customers)} customers in ${bulk.seconds.toFixed(2)} s`]);
  rows.push(['raw better-sqlite3, one transaction per customer', `${fmt(single.customers)} customers in ${single.seconds.toFixed(2)} s`]);
  return rows;
}

export function printFiguresTable(results: BenchResults, context: RunContext): void {
  const rows: [string, string][] = [
    ['crm-bridge commit', context.revision],
    ...compareRows(results),
    ...(results.auth === undefined ? [] : authPhaseRows(results.auth)),
    ...ceilingRows(results),
    ...(results.load === undefined ? [] : loadPhaseRows(results.load)),
    ...(results.exchange === undefined ? [] : exchangePhaseRows(results.exchange)),
    ...(results.batches === undefined ? [] : batchesPhaseRows(results.batches)),
    ...(results.layouts === undefined ? [] : layoutsPhaseRows(results.layouts)),
    ...(results.roundtrip === undefined ? [] : roundtripPhaseRows(results.roundtrip)),
    ['load', `autocannon, ${context.connections} connections, ${context.seconds} s per figure after ${context.warmupSeconds} s warm-up, ` +
      'bench and server in separate processes, one server at a time'],
    ['1-minute load average before the bench / at the end (1 = one busy CPU)', `${context.loadBefore.toFixed(2)} / ${context.loadAfter.toFixed(2)}`],
    ['CPU', context.machine.cpu],
    ['memory', context.machine.memory],
    ['OS', context.machine.system],
    ['Node.js', context.machine.node],
  ];
  console.log('');
  printTable(['figure', 'value'], rows);
}
