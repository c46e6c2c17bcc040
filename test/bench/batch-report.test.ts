// The bench's reading of a BatchReport (the layouts and roundtrip phases
// check every import by it): the counts it states and every result's status,
// wherever the stream is cut, and what makes a report not the one a step
// must give. The reports are written by the product's own report writer.
import { expect } from 'chai';
import fs from 'node:fs';
import { reportMismatch, reportTally, type ReportCounts } from '../../bench/batch-report.js';
import { crmBridgeCommand, shebangNodeFlags } from '../../bench/crm-bridge-command.js';
import { withNote } from '../../src/drop-folder/finished-files.js';
import type { BatchSummary, RecordResult, RecordStatus } from '../../src/domain/batch.js';
import { reportStream } from '../../src/mapping/report-stream.js';

async function reportBytes(statuses: readonly RecordStatus[], summary?: Partial<BatchSummary>, note = ''): Promise<Buffer> {
  const count = (s: RecordStatus): number => statuses.filter((x) => x === s).length;
  const full: BatchSummary = { created: count('CREATED'), updated: count('UPDATED'), unchanged: count('UNCHANGED'), failed: count('FAILED'), ...summary };
  const results = (async function* (): AsyncGenerator<RecordResult> {
    for (const [i, status] of statuses.entries()) {
      yield { index: i + 1, externalId: `ERP-${i}`, status, ...(status === 'FAILED' ? { error: { code: 'VALIDATION_FAILED', message: 'line 3, column 9: <status>CREATED</status> is not allowed' } } : {}) };
    }
  })();
  let text = '';
  for await (const piece of withNote(note, reportStream(full, results))) text += piece;
  return Buffer.from(text, 'utf8');
}

function tally(bytes: Buffer, chunkSize = bytes.length): ReportCounts {
  const t = reportTally();
  for (let i = 0; i < bytes.length; i += chunkSize) t.feed(bytes.subarray(i, i + chunkSize));
  return t.counts();
}

describe('bench: reading a BatchReport', () => {
  it('reads the stated counts and every result\'s status, however the report is cut into chunks', async () => {
    const statuses: RecordStatus[] = ['CREATED', 'UNCHANGED', 'FAILED', 'UPDATED', 'CREATED', 'UNCHANGED', 'UNCHANGED'];
    const bytes = await reportBytes(statuses);
    for (const size of [1, 2, 7, 13, 64, bytes.length]) {
      const c = tally(bytes, size);
      expect(c.summary, `chunks of ${size}`).to.deep.equal({ CREATED: 2, UPDATED: 1, UNCHANGED: 3, FAILED: 1 });
      expect(c.statuses, `chunks of ${size}`).to.deep.equal({ CREATED: 2, UPDATED: 1, UNCHANGED: 3, FAILED: 1 });
      expect(c.results, `chunks of ${size}`).to.equal(7);
      expect(c.duplicate).to.equal(false);
    }
  });

  it('takes a report of every record with the expected status', async () => {
    expect(reportMismatch(tally(await reportBytes(Array<RecordStatus>(5).fill('UNCHANGED'))), 5, 'UNCHANGED')).to.equal(undefined);
  });

  it('refuses a report with another status, too few results, counts that disagree with its results, or no counts', async () => {
    expect(reportMismatch(tally(await reportBytes(['CREATED', 'CREATED', 'UNCHANGED'])), 3, 'CREATED')).to.match(/states 1 unchanged, expected 0/);
    expect(reportMismatch(tally(await reportBytes(['CREATED', 'CREATED'])), 3, 'CREATED')).to.match(/holds 2 results for 3 records/);
    expect(reportMismatch(tally(await reportBytes(['CREATED', 'FAILED'], { created: 2, failed: 0 })), 2, 'CREATED'))
      .to.match(/holds 1 results CREATED, expected 2/);
    expect(reportMismatch(tally(Buffer.from('<ServiceFault><code>INTERNAL</code></ServiceFault>')), 2, 'CREATED')).to.match(/states no created/);
  });

  it('refuses the drop folder\'s report of a duplicate, which is an earlier import\'s', async () => {
    const note = '<!-- x.xml: duplicate of a file imported before (same content, sha256 ab); nothing imported again; this is the first report -->\n';
    const c = tally(await reportBytes(['UNCHANGED'], {}, note), 5);
    expect(c.duplicate).to.equal(true);
    expect(reportMismatch(c, 1, 'UNCHANGED')).to.match(/duplicate/);
  });
});

describe('bench: the crm-bridge command line', () => {
  it('reads the node flags of an env -S shebang, and none of a plain one', () => {
    expect(shebangNodeFlags('#!/usr/bin/env -S node --max-semi-space-size=4 --v8-pool-size=0')).to.deep.equal(['--max-semi-space-size=4', '--v8-pool-size=0']);
    expect(shebangNodeFlags('#!/usr/bin/env node')).to.deep.equal([]);
    expect(shebangNodeFlags('// not a shebang')).to.deep.equal([]);
  });

  it('runs the command with the flags npm start runs the service with (source maps aside)', () => {
    const start = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start
      .split(/\s+/).filter((a) => a.startsWith('--') && a !== '--enable-source-maps');
    const { args } = crmBridgeCommand();
    expect(args.slice(0, -1)).to.deep.equal(start);
    expect(args.at(-1)).to.match(/dist\/src\/main\.js$/);
  });
});
