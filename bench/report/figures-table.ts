// The figures table: every figure of the run, then how it was measured and on
// what machine.
import type { Machine } from '../machine.js';
import { exchangePhaseRows } from '../phases/exchange-phase.js';
import { loadPhaseRows } from '../phases/load-phase.js';
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

export function printFiguresTable(results: BenchResults, context: RunContext): void {
  const rows: [string, string][] = [
    ['crm-bridge commit', context.revision],
    ...(results.load === undefined ? [] : loadPhaseRows(results.load)),
    ...(results.exchange === undefined ? [] : exchangePhaseRows(results.exchange)),
    ['load', `autocannon, ${context.connections} connections, ${context.seconds} s per figure after ${context.warmupSeconds} s warm-up, ` +
      'bench and server in separate processes'],
    ['1-minute load average before the bench / at the end (1 = one busy CPU)', `${context.loadBefore.toFixed(2)} / ${context.loadAfter.toFixed(2)}`],
    ['CPU', context.machine.cpu],
    ['memory', context.machine.memory],
    ['OS', context.machine.system],
    ['Node.js', context.machine.node],
  ];
  console.log('');
  printTable(['figure', 'value'], rows);
}
