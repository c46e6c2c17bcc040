// What a BatchReport says, read as a stream of bytes (a report file of a
// million results, or the answer of POST /xml/batches) without decoding or
// holding it: its own counts from its head, and every <result>'s <status>
// counted. The bench checks both against what a step must give (all CREATED,
// all UNCHANGED): it reports timings and never judges them, but a wrong
// result is a failure, and a report whose counts and results disagree is one too.
import fs from 'node:fs';
import { counter } from './batch-exchange.js';
import { fmt } from './format.js';

export const RECORD_STATUSES = ['CREATED', 'UPDATED', 'UNCHANGED', 'FAILED'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export interface ReportCounts {
  /** The report's own counts (<created>, <updated>, ...); NaN for a count it does not state. */
  readonly summary: Readonly<Record<RecordStatus, number>>;
  /** How many <result> elements it holds. */
  readonly results: number;
  /** The <result>s by <status>. */
  readonly statuses: Readonly<Record<RecordStatus, number>>;
  /** The drop folder's note that the file was a duplicate and this is an earlier import's report. */
  readonly duplicate: boolean;
  /** The first bytes, decoded, for messages. */
  readonly head: string;
}

/** The counts come first; this much of the stream surely holds them, with a duplicate note before them. */
const HEAD_BYTES = 4096;
const SUMMARY_ELEMENT: Readonly<Record<RecordStatus, string>> = { CREATED: 'created', UPDATED: 'updated', UNCHANGED: 'unchanged', FAILED: 'failed' };

export interface ReportTally {
  feed(chunk: Buffer): void;
  counts(): ReportCounts;
}

export function reportTally(): ReportTally {
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  const results = counter('<result>');
  const statuses = RECORD_STATUSES.map((s) => [s, counter(`<status>${s}</status>`)] as const);
  return {
    feed(chunk) {
      if (headBytes < HEAD_BYTES) {
        const part = chunk.subarray(0, HEAD_BYTES - headBytes);
        headChunks.push(Buffer.from(part));
        headBytes += part.length;
      }
      results.feed(chunk);
      for (const [, c] of statuses) c.feed(chunk);
    },
    counts() {
      const head = Buffer.concat(headChunks).toString('utf8');
      const stated = (status: RecordStatus): number => {
        const name = SUMMARY_ELEMENT[status];
        return Number(new RegExp(`<(?:[\\w.-]+:)?${name}>\\s*(\\d+)\\s*</(?:[\\w.-]+:)?${name}>`).exec(head)?.[1] ?? NaN);
      };
      return {
        summary: Object.fromEntries(RECORD_STATUSES.map((s) => [s, stated(s)])) as Record<RecordStatus, number>,
        results: results.count,
        statuses: Object.fromEntries(statuses.map(([s, c]) => [s, c.count])) as Record<RecordStatus, number>,
        duplicate: head.includes('duplicate of a file imported before'),
        head,
      };
    },
  };
}

/** Tallies a report file. */
export async function tallyReportFile(file: string): Promise<ReportCounts> {
  const tally = reportTally();
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) tally.feed(chunk);
  return tally.counts();
}

/** "2,000 created, 0 updated, 0 unchanged, 0 failed" as the report states them. */
export function describeCounts(c: ReportCounts): string {
  return RECORD_STATUSES.map((s) => `${Number.isNaN(c.summary[s]) ? '?' : fmt(c.summary[s])} ${SUMMARY_ELEMENT[s]}`).join(', ');
}

/**
 * Why `c` is not the report of `customers` records that all ended `status`
 * (its counts, its results and their statuses must all say so), or undefined
 * when it is.
 */
export function reportMismatch(c: ReportCounts, customers: number, status: RecordStatus): string | undefined {
  const wrong: string[] = [];
  for (const s of RECORD_STATUSES) {
    const want = s === status ? customers : 0;
    if (c.summary[s] !== want) wrong.push(`states ${Number.isNaN(c.summary[s]) ? 'no' : fmt(c.summary[s])} ${SUMMARY_ELEMENT[s]}, expected ${fmt(want)}`);
    if (c.statuses[s] !== want) wrong.push(`holds ${fmt(c.statuses[s])} results ${s}, expected ${fmt(want)}`);
  }
  if (c.results !== customers) wrong.push(`holds ${fmt(c.results)} results for ${fmt(customers)} records`);
  if (c.duplicate) wrong.push('is a duplicate\'s (an earlier import\'s report)');
  return wrong.length === 0 ? undefined : `the report ${wrong.join('; ')}`;
}

/** Throws unless `c` reports `customers` records, all `status`. */
export function expectReport(what: string, c: ReportCounts, customers: number, status: RecordStatus): void {
  const mismatch = reportMismatch(c, customers, status);
  if (mismatch !== undefined) throw new Error(`${what}: ${mismatch}; it begins:\n${c.head.slice(0, 600)}`);
}
