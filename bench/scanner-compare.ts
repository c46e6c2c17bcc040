// node dist/bench/scanner-compare.js [CUSTOMERS] [--rounds N] [--layouts a,b] [--cutters a,b]:
// the record scanner (src/xml/record-scanner.ts through scanDocument) against
// two streaming parsers doing the same job (saxes; libxml2's push parser
// through libxmljs2), for issue 15's question whether the hand-written
// scanner earns its place. Prints two markdown tables: what each makes of a
// corpus of small documents (bench/scanner-corpus.ts), and CPU time per
// record and peak memory over the bench's batch in every layout
// (bench/batch-layouts.ts). Each measurement runs in a child process of its
// own, so that its peak RSS is its own; rounds alternate the cutters.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBatchFile } from './batch-file.js';
import { LAYOUTS, type Layout } from './batch-layouts.js';
import { decodedPieces, scannerCutter, type CutError, type CutRecord, type CutRoot, type RecordCutter } from './cut-records.js';
import { libxmljs2Cutter } from './cut-with-libxmljs2.js';
import { saxesCutter } from './cut-with-saxes.js';
import { fmt } from './format.js';
import { loadAverage, machine, revision } from './machine.js';
import { CORPUS, type CorpusCase } from './scanner-corpus.js';

/** Reading and decoding alone: the floor under every cutter. */
const readOnly: RecordCutter = {
  name: 'read + decode only',
  async cut(input) {
    for await (const piece of decodedPieces(input)) void piece;
  },
};

const CUTTERS: Record<string, RecordCutter> = { scanner: scannerCutter, saxes: saxesCutter, libxmljs2: libxmljs2Cutter, read: readOnly };

/** What one cutter made of one input. */
interface Outcome {
  root: CutRoot | undefined;
  records: CutRecord[];
  errors: CutError[];
  /** Records seen before the first error. */
  recordsBeforeError: number;
}

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

async function outcomeOf(cutter: RecordCutter, bytes: Buffer): Promise<Outcome> {
  const out: Outcome = { root: undefined, records: [], errors: [], recordsBeforeError: 0 };
  try {
    await cutter.cut(once(bytes), {
      root: (r) => { out.root = r; },
      record: (r) => out.records.push(r),
      error: (e) => {
        if (out.errors.length === 0) out.recordsBeforeError = out.records.length;
        out.errors.push(e);
      },
    });
  } catch (err) {
    out.errors.push({ message: `threw ${err instanceof Error ? err.message : String(err)}`, line: undefined, column: undefined });
  }
  return out;
}

const at = (line: number | undefined, column: number | undefined): string => `${line ?? '?'}:${column ?? '?'}`;

/** One cell of the corpus table: what the cutter gave, and ✓ / ✗ against what XML says. */
function judge(c: CorpusCase, o: Outcome): string {
  const first = o.errors[0];
  const positions = o.records.map((r) => at(r.line, r.column));
  const wantPositions = c.records.map(([l, col]) => at(l, col));
  const positionsKnown = o.records.every((r) => r.line !== undefined);
  const textsRight = c.texts === undefined || c.texts.every((t, i) => o.records[i]?.text === t);
  const gave = first === undefined
    ? `${o.records.length} records at ${positions.join(', ') || '-'}`
    : `error at ${at(first.line, first.column)} "${first.message.slice(0, 70)}" after ${o.recordsBeforeError} records${o.errors.length > 1 ? ` (+${o.errors.length - 1} more)` : ''}`;
  // ✓ right, ~ right but without positions or with the text rebuilt rather than as sent, ✗ wrong
  let mark: '✓' | '~' | '✗';
  let note = '';
  const e = c.error;
  if (c.mustContain !== undefined && o.records.length > 0 && !o.records.every((r) => r.text.includes(c.mustContain as string))) {
    mark = '✗';
    note = ` (misread: ${JSON.stringify(o.records[0]?.text.slice(0, 40))})`;
  } else if (c.refusalIsRight === true && first !== undefined && o.recordsBeforeError === 0) {
    mark = '✓';
    note = ' (refused)';
  } else if (e === undefined) {
    const right = first === undefined && positions.length === wantPositions.length && (!positionsKnown || positions.join() === wantPositions.join());
    mark = !right ? '✗' : !textsRight ? (positionsKnown ? '✗' : '~') : positionsKnown ? '✓' : '~';
    if (!textsRight && o.records.length > 0) note = ' (record text not as sent)';
  } else if (first !== undefined && first.line === e.line && first.column !== undefined && first.column >= e.column && first.column <= e.columnTo) {
    mark = '✓';
  } else if (first !== undefined && first.line === undefined && o.recordsBeforeError === (e.inRecord ?? o.records.length + 1) - 1) {
    mark = '~';
    note = ' (no position)';
  } else if (first === undefined && e.inRecord !== undefined && positions.join() === wantPositions.join()) {
    // the faulty record is cut intact: its own parse (record-reader.ts) reports the fault at its place
    mark = '✓';
    note = ' (left to the record parse)';
  } else {
    mark = '✗';
  }
  return `${mark} ${gave}${note}`.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

async function corpusTable(cutters: RecordCutter[]): Promise<string[]> {
  const lines = [`| input | right per XML 1.0 / Namespaces | ${cutters.map((c) => c.name).join(' | ')} |`, `|---|---|${cutters.map(() => '---').join('|')}|`];
  for (const c of CORPUS) {
    const cells: string[] = [];
    for (const cutter of cutters) cells.push(judge(c, await outcomeOf(cutter, c.bytes)));
    lines.push(`| ${c.name.replaceAll('|', '\\|')} | ${c.right} | ${cells.join(' | ')} |`);
  }
  return lines;
}

/** One measurement, in this (child) process: JSON on stdout. */
async function measure(cutterName: string, file: string): Promise<void> {
  const cutter = CUTTERS[cutterName];
  if (cutter === undefined) throw new Error(`unknown cutter ${cutterName}`);
  let heapPeak = 0;
  let records = 0;
  let errors = 0;
  let chars = 0;
  async function* sampled(): AsyncGenerator<Buffer> {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) {
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      yield chunk as Buffer;
    }
  }
  const before = process.cpuUsage();
  await cutter.cut(sampled(), {
    root: () => undefined,
    record: (r) => { records += 1; chars += r.text.length; },
    error: () => { errors += 1; },
  });
  const cpu = process.cpuUsage(before);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  console.log(JSON.stringify({ records, errors, chars, cpuMicros: cpu.user + cpu.system, maxRssKiB: process.resourceUsage().maxRSS, heapPeak }));
}

interface Measurement {
  records: number;
  errors: number;
  chars: number;
  cpuMicros: number;
  maxRssKiB: number;
  heapPeak: number;
}

function runChild(cutter: string, file: string): Measurement {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', cutter, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Measurement;
}

/** The generator-layout file with the first record's first `</name>` removed: a record that never closes. */
async function writeUnclosedFile(from: string, to: string): Promise<void> {
  const out = fs.createWriteStream(to);
  let done = false;
  for await (const chunk of fs.createReadStream(from, { highWaterMark: 1 << 20 })) {
    let buf = chunk as Buffer;
    if (!done) {
      const i = buf.indexOf('</name>');
      if (i >= 0) {
        buf = Buffer.concat([buf.subarray(0, i), buf.subarray(i + '</name>'.length)]);
        done = true;
      }
    }
    if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

const range = (values: number[], digits: number): string => {
  const lo = Math.min(...values).toFixed(digits);
  const hi = Math.max(...values).toFixed(digits);
  return lo === hi ? lo : `${lo}-${hi}`;
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--measure') return measure(args[1] ?? '', args[2] ?? '');
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const customers = Number((args.find((a, i) => /^[\d_]+$/.test(a) && !args[i - 1]?.startsWith('--')) ?? '100000').replaceAll('_', ''));
  const rounds = Number(option('--rounds') ?? '3');
  const layouts = (option('--layouts')?.split(',') ?? [...LAYOUTS, 'unclosed-record']) as (Layout | 'unclosed-record')[];
  const cutterNames = option('--cutters')?.split(',') ?? ['scanner', 'saxes', 'libxmljs2', 'read'];
  const m = machine();
  console.log(`# Record scanner against streaming parsers\n\n${revision()}; ${m.cpu}, ${m.memory}, ${m.system}, node ${m.node}; load ${loadAverage().toFixed(2)}\n`);

  if (!args.includes('--no-corpus')) {
    console.log('## Correctness corpus\n');
    console.log((await corpusTable([scannerCutter, saxesCutter, libxmljs2Cutter])).join('\n'));
    console.log('');
  }
  if (args.includes('--corpus-only')) return;

  const dir = path.join(os.tmpdir(), 'crm-bridge-scanner-compare');
  fs.mkdirSync(dir, { recursive: true });
  const files = new Map<string, string>();
  for (const layout of layouts) {
    const file = path.join(dir, `${customers}-${layout}.xml`);
    if (!fs.existsSync(file)) {
      if (layout === 'unclosed-record') {
        const generator = path.join(dir, `${customers}-generator.xml`);
        if (!fs.existsSync(generator)) await writeBatchFile(generator, customers, 'generator');
        await writeUnclosedFile(generator, file);
      } else {
        await writeBatchFile(file, customers, layout);
      }
    }
    files.set(layout, file);
  }

  const results = new Map<string, Measurement[]>();
  for (let round = 0; round < rounds; round++) {
    for (const layout of layouts) {
      // alternate which cutter goes first
      const order = cutterNames.map((_, i) => cutterNames[(i + round) % cutterNames.length] as string);
      for (const name of order) {
        const key = `${layout}\t${name}`;
        const list = results.get(key) ?? [];
        list.push(runChild(name, files.get(layout) as string));
        results.set(key, list);
        process.stderr.write(`round ${round + 1}/${rounds} ${layout} ${name}: ${((list.at(-1)?.cpuMicros ?? 0) / 1e6).toFixed(2)} s CPU\n`);
      }
    }
  }

  console.log(`## ${fmt(customers)} customers, ${rounds} rounds (ranges over rounds)\n`);
  console.log('| layout | MiB | cutter | records | CPU µs/customer | peak RSS MiB | peak heap MiB |');
  console.log('|---|---|---|---|---|---|---|');
  for (const layout of layouts) {
    const mibs = (fs.statSync(files.get(layout) as string).size / 2 ** 20).toFixed(0);
    for (const name of cutterNames) {
      const list = results.get(`${layout}\t${name}`) ?? [];
      const first = list[0];
      if (first === undefined) continue;
      const records = `${fmt(first.records)}${first.errors > 0 ? ` (${fmt(first.errors)} errors)` : ''}`;
      console.log(`| ${layout} | ${mibs} | ${CUTTERS[name]?.name ?? name} | ${records} | ${range(list.map((x) => x.cpuMicros / customers), 2)} | ${range(list.map((x) => x.maxRssKiB / 1024), 0)} | ${range(list.map((x) => x.heapPeak / 2 ** 20), 0)} |`);
    }
  }
}

await main();
