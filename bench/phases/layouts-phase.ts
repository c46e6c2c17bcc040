// The layouts phase (issue 15, item 1): the same BENCH_LAYOUT_CUSTOMERS
// customers in every layout a file reaches an import as (bench/batch-layouts.ts),
// each imported with the real `crm-bridge import FILE` into a fresh data
// folder, so a layout that costs more than the generator's shows as a ratio
// measured in the same run. The generator layout runs first and again last,
// so drift of the machine during the phase is visible. Writing a file is not
// timed; each file and data folder is removed before the next is written (a
// 1M file is ~600 MB). A layout whose import fails or whose report is not all
// CREATED is a failure of the phase, thrown once every layout has run and the
// table is printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBatchFile } from '../batch-file.js';
import type { Layout } from '../batch-layouts.js';
import { describeCounts, reportMismatch, tallyReportFile, type ReportCounts } from '../batch-report.js';
import { describeExit, runCrmBridge, type CommandRun } from '../crm-bridge-command.js';
import { fmt, mib } from '../format.js';
import { printTable } from '../report/markdown.js';

export interface LayoutRun {
  readonly layout: Layout;
  readonly fileBytes: number;
  readonly run: CommandRun;
  readonly perSecond: number;
  /** undefined when the command wrote no report. */
  readonly counts: ReportCounts | undefined;
  /** Why the result is wrong (exit status, counts), or undefined when it is right. */
  readonly wrong: string | undefined;
}

export interface LayoutsPhaseResult {
  readonly customers: number;
  /** In the order run: the generator layout first and last. */
  readonly runs: readonly LayoutRun[];
}

export async function runLayoutsPhase(customers: number, order: readonly Layout[]): Promise<LayoutsPhaseResult> {
  console.log(`\nlayouts phase: ${fmt(customers)} customers in each layout, each imported with crm-bridge import into a fresh data folder ` +
    `(${order.join(', ')})`);
  const runs: LayoutRun[] = [];
  for (const layout of order) {
    const run = await importLayout(layout, customers);
    runs.push(run);
    console.log(`  ${layout}: ${fileSize(run.fileBytes)}, ${run.run.seconds.toFixed(1)} s, ${fmt(Math.round(run.perSecond))} customers/s, ` +
      `CPU ${cpu(run.run)}, peak RSS ${mib(run.run.peakRssBytes)}, ${describeExit(run.run)}, ` +
      `${run.counts === undefined ? 'no report' : describeCounts(run.counts)}${run.wrong === undefined ? '' : ` -- WRONG: ${run.wrong}`}`);
  }
  const result = { customers, runs };
  console.log('');
  printTable(LAYOUT_TABLE_HEADERS, layoutTableRows(result));
  const wrong = runs.filter((r) => r.wrong !== undefined);
  if (wrong.length > 0) {
    throw new Error(`layouts phase: ${wrong.map((r) => `${r.layout}: ${r.wrong ?? ''}`).join('\n')}`);
  }
  return result;
}

async function importLayout(layout: Layout, customers: number): Promise<LayoutRun> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `crm-bridge-bench-layout-${layout}-`));
  try {
    const file = path.join(dir, `customers-${layout}.xml`);
    const report = path.join(dir, 'report.xml');
    const fileBytes = await writeBatchFile(file, customers, layout);
    const run = await runCrmBridge(['import', file, '--report', report], path.join(dir, 'data'));
    const counts = fs.existsSync(report) ? await tallyReportFile(report) : undefined;
    const wrong = run.exitCode !== 0
      ? `${describeExit(run)} (0 expected): ${run.stderrTail.trim().split('\n').slice(-3).join(' / ')}`
      : counts === undefined ? 'no report written' : reportMismatch(counts, customers, 'CREATED');
    return { layout, fileBytes, run, perSecond: customers / run.seconds, counts, wrong };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

function cpu(run: CommandRun): string {
  return run.cpuSeconds === undefined ? 'n/a' : `${run.cpuSeconds.toFixed(1)} s`;
}

/** Rate of `run` ÷ rate of the first generator-layout run (the phase's first). */
function ratioToGenerator(result: LayoutsPhaseResult, run: LayoutRun): string {
  const base = result.runs[0];
  if (base === undefined || base.wrong !== undefined || run.wrong !== undefined) return '—';
  return `${(run.perSecond / base.perSecond).toFixed(2)}×`;
}

/** CPU of `run` ÷ CPU of the first generator-layout run: on a busy machine steadier than the rates. */
function cpuRatioToGenerator(result: LayoutsPhaseResult, run: LayoutRun): string {
  const base = result.runs[0]?.run.cpuSeconds;
  const own = run.run.cpuSeconds;
  if (base === undefined || own === undefined || base === 0 || result.runs[0]?.wrong !== undefined || run.wrong !== undefined) return '—';
  return `${(own / base).toFixed(2)}×`;
}

/** MiB with a decimal, so the small files of a quick run differ too. */
function fileSize(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export const LAYOUT_TABLE_HEADERS = ['layout', 'file', 's', 'customers/s', 'CPU s', 'peak RSS', 'rate ÷ generator (first run)', 'CPU ÷ generator', 'result'] as const;

export function layoutTableRows(result: LayoutsPhaseResult): string[][] {
  return result.runs.map((r, i) => [
    i === result.runs.length - 1 && r.layout === 'generator' ? 'generator (again, last)' : r.layout,
    fileSize(r.fileBytes),
    r.run.seconds.toFixed(1),
    fmt(Math.round(r.perSecond)),
    r.run.cpuSeconds === undefined ? 'n/a' : r.run.cpuSeconds.toFixed(1),
    mib(r.run.peakRssBytes),
    ratioToGenerator(result, r),
    cpuRatioToGenerator(result, r),
    r.wrong === undefined ? `${describeExit(r.run)}, all ${fmt(result.customers)} CREATED` : `WRONG: ${r.wrong}`,
  ]);
}

/** Rows of the figures table. */
export function layoutsPhaseRows(result: LayoutsPhaseResult): [string, string][] {
  return result.runs.map((r, i): [string, string] => [
    `crm-bridge import, ${r.layout} layout${i === result.runs.length - 1 && r.layout === 'generator' ? ' (again, last)' : ''}, ${fmt(result.customers)} customers, ${fileSize(r.fileBytes)}`,
    `${r.run.seconds.toFixed(1)} s, ${fmt(Math.round(r.perSecond))} customers/s, CPU ${cpu(r.run)}, peak RSS ${mib(r.run.peakRssBytes)}, ` +
      `${ratioToGenerator(result, r)} the generator layout's rate, ${cpuRatioToGenerator(result, r)} its CPU; ${r.wrong === undefined ? `${describeExit(r.run)}, all CREATED` : `WRONG: ${r.wrong}`}`,
  ]);
}
