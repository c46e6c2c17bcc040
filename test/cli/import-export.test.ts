// The crm-bridge command as an operator runs it: a real process on a real
// data folder, judged by exit status, output files and the store.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import libxml from 'libxmljs2';
import type { Element } from 'libxmljs2';
import { NS } from '../../src/xml/namespaces.js';
import { HUGE_RECORD_BOUND, HUGE_TEXT_BOUND, SMALL_HEAP_MB, writeBatchWithHugeRecord } from '../helpers/huge-record.js';
import { tempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const MAIN = path.resolve('dist/src/main.js');
const Q = { c: NS.crm };

interface Run { status: number; stdout: string; stderr: string }

async function cli(dataDir: string, ...args: string[]): Promise<Run> {
  return cliWith({}, dataDir, ...args);
}

async function cliWith(env: Record<string, string>, dataDir: string, ...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { env: { ...process.env, CRM_DATA_DIR: dataDir, CRM_LOG_LEVEL: 'warn', ...env }, cwd: dataDir });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { status: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function batchFile(dir: string, name: string, records: string[], attributes = ''): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}"${attributes}>\n${records.join('\n')}\n</CustomerBatch>\n`);
  return file;
}

const good = (ext: string): string => `<customer><externalId>${ext}</externalId><type>PERSON</type><name>Person ${ext}</name></customer>`;
const bad = (ext: string): string => `<customer><externalId>${ext}</externalId><type>ROBOT</type><name>Robot ${ext}</name></customer>`;

/** A report that is a ServiceFault: its code and message. */
function faultReport(file: string): { code: string; message: string } {
  const doc = libxml.parseXml(fs.readFileSync(file, 'utf8'));
  return {
    code: doc.get<Element>('/c:ServiceFault/c:code', Q)?.text() ?? '',
    message: doc.get<Element>('/c:ServiceFault/c:message', Q)?.text() ?? '',
  };
}

async function exportedCount(dir: string): Promise<number> {
  const exported = path.join(dir, `count-${Date.now()}.xml`);
  expect((await cli(dir, 'export', exported)).status).to.equal(0);
  return (fs.readFileSync(exported, 'utf8').match(/<customer>/g) ?? []).length;
}

function report(file: string): { counts: number[]; statuses: string[] } {
  const doc = libxml.parseXml(fs.readFileSync(file, 'utf8'));
  const n = (x: string): number => Number(doc.get<Element>(`/c:BatchReport/c:${x}`, Q)?.text());
  return {
    counts: [n('created'), n('updated'), n('unchanged'), n('failed')],
    statuses: doc.find<Element>('/c:BatchReport/c:result/c:status', Q).map((s) => s.text()),
  };
}

describe('crm-bridge import / export (command line)', function () {
  this.timeout(30000);
  let dir: string;
  beforeEach(() => { dir = tempDir('crm-cli-'); });

  it('imports a file, exits 0 when every record is stored, and writes the BatchReport next to it', async () => {
    const file = batchFile(dir, 'customers.xml', [good('C1'), good('C2')]);
    const r = await cli(dir, 'import', file);
    expect(r.status, r.stderr).to.equal(0);
    expect(report(`${file}.report.xml`)).to.deep.equal({ counts: [2, 0, 0, 0], statuses: ['CREATED', 'CREATED'] });
    expect(r.stdout).to.contain('2 created');
  });

  it('exits 1 when some records failed, with the report at a path given', async () => {
    const file = batchFile(dir, 'mixed.xml', [good('M1'), bad('M2')]);
    const r = await cli(dir, 'import', file, '--report', path.join(dir, 'out.xml'));
    expect(r.status).to.equal(1);
    expect(report(path.join(dir, 'out.xml')).statuses).to.deep.equal(['CREATED', 'FAILED']);
  });

  it('exits 2 for a file refused as a CustomerBatch (breaks part-way, root invalid), storing nothing, with a ServiceFault report', async () => {
    const broken = batchFile(dir, 'broken.xml', [good('B1'), good('B2')]);
    fs.writeFileSync(broken, fs.readFileSync(broken, 'utf8').replace('</CustomerBatch>', ''));
    const r = await cli(dir, 'import', broken);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('MALFORMED_XML').and.contain('nothing was stored');
    expect(faultReport(`${broken}.report.xml`).code).to.equal('MALFORMED_XML');
    const badRoot = batchFile(dir, 'bad-root.xml', [good('B3')], ' mode="SOMETIMES"');
    expect((await cli(dir, 'import', badRoot)).status).to.equal(2);
    expect(faultReport(`${badRoot}.report.xml`).code).to.equal('VALIDATION_FAILED');
    expect(await exportedCount(dir)).to.equal(0);
  });

  it('exits 3 when the import cannot run: a missing file, a folder, a data folder that is not one', async () => {
    const missing = await cli(dir, 'import', path.join(dir, 'missing.xml'));
    expect(missing.status).to.equal(3);
    expect(missing.stderr).to.contain('could not run').and.contain('ENOENT');
    expect(faultReport(path.join(dir, 'missing.xml.report.xml'))).to.deep.include({ code: 'INTERNAL' });
    fs.mkdirSync(path.join(dir, 'folder.xml'));
    expect((await cli(dir, 'import', path.join(dir, 'folder.xml'))).status).to.equal(3);
    const notAFolder = path.join(dir, 'plain-file');
    fs.writeFileSync(notAFolder, '');
    const store = await cliWith({ CRM_DATA_DIR: notAFolder }, dir, 'import', batchFile(dir, 'fine.xml', [good('F1')]));
    expect(store.status).to.equal(3);
    expect(store.stderr).to.contain('the store failed');
  });

  it('exits 2 for a record larger than CRM_MAX_RECORD_BYTES (default 1 MiB), naming where it starts, storing nothing', async () => {
    const file = writeBatchWithHugeRecord(path.join(dir, 'huge.xml'), 1500);
    // The text bound raised: with the default one, the record's 3 MB name is refused at 64 Ki first (test/limits/).
    const r = await cliWith({ CRM_MAX_TEXT_CHARS: String(HUGE_TEXT_BOUND) }, dir, 'import', file);
    expect(r.status, r.stderr).to.equal(2);
    expect(faultReport(`${file}.report.xml`)).to.deep.include({ code: 'PAYLOAD_TOO_LARGE' });
    expect(r.stderr).to.contain('The record starting at line 1503, column 1 is larger than 1048576 characters');
    expect(await exportedCount(dir)).to.equal(0);
  });

  it('exits 3 when the thread reading records runs out of memory, saying where it stopped, with a ServiceFault report; the records before it stay stored', async function () {
    this.timeout(120_000);
    const file = writeBatchWithHugeRecord(path.join(dir, 'huge.xml'), 1500);
    const r = await cliWith({ CRM_IMPORT_WORKERS: '1', CRM_IMPORT_WORKER_MIN_BYTES: '0', CRM_IMPORT_WORKER_HEAP_MB: String(SMALL_HEAP_MB), CRM_MAX_RECORD_BYTES: String(HUGE_RECORD_BOUND), CRM_MAX_TEXT_CHARS: String(HUGE_TEXT_BOUND) }, dir, 'import', file);
    expect(r.status, r.stderr).to.equal(3);
    expect(r.stderr).to.contain('the import did not finish: the thread reading records ran out of memory (ERR_WORKER_OUT_OF_MEMORY');
    expect(r.stderr).to.contain('after record 1000 of the batch').and.contain('1000 records were stored before it stopped');
    expect(r.stderr).to.contain(`report ${file}.report.xml`).and.not.contain('    at ');
    const fault = faultReport(`${file}.report.xml`);
    expect(fault.code).to.equal('INTERNAL');
    expect(fault.message).to.match(/ran out of memory .*after record 1000 of the batch \(the thread had read \d+ of \d+ bytes by then\).*1000 records were stored before it stopped/);
    expect(await exportedCount(dir)).to.equal(1000);
  });

  it('exits 64 for a usage error, which is none of the import\'s own statuses', async () => {
    const none = await cli(dir, 'import');
    expect(none.status).to.equal(64);
    expect(none.stderr).to.contain("missing required argument 'file'");
    expect((await cli(dir, 'import', '--no-such-option', 'x.xml')).status).to.equal(64);
  });

  it('--dry-run predicts the report and stores nothing', async () => {
    const file = batchFile(dir, 'dry.xml', [good('D1'), bad('D2')]);
    const r = await cli(dir, 'import', '--dry-run', file);
    expect(r.status).to.equal(1);
    expect(report(`${file}.report.xml`)).to.deep.equal({ counts: [1, 0, 0, 1], statuses: ['CREATED', 'FAILED'] });
    expect((await cli(dir, 'import', file)).status).to.equal(1);
    expect(report(`${file}.report.xml`).statuses).to.deep.equal(['CREATED', 'FAILED']);
  });

  it('exports every customer to a file that imports back as UNCHANGED, leaving no temporary file behind', async () => {
    await cli(dir, 'import', batchFile(dir, 'seed.xml', [good('E1'), good('E2'), good('E3')]));
    const exported = path.join(dir, 'export.xml');
    const r = await cli(dir, 'export', exported);
    expect(r.status).to.equal(0);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
    const back = await cli(dir, 'import', exported);
    expect(back.status).to.equal(0);
    expect(report(`${exported}.report.xml`).counts).to.deep.equal([0, 0, 3, 0]);
  });

  it('exports only customers updated since a time; refuses a bad --updated-since', async () => {
    await cli(dir, 'import', batchFile(dir, 'seed.xml', [good('U1')]));
    await cli(dir, 'export', path.join(dir, 'none.xml'), '--updated-since', '2999-01-01T00:00:00Z');
    expect(fs.readFileSync(path.join(dir, 'none.xml'), 'utf8')).to.not.contain('<customer>');
    // Checked by the XSD as GET /xml/export?updatedSince= is, and named as the option the user typed.
    const refused = await cli(dir, 'export', path.join(dir, 'x.xml'), '--updated-since', 'tomorrow');
    expect(refused.status).to.equal(2);
    expect(refused.stderr).to.match(/^--updated-since: .*'tomorrow' is not a valid value of the atomic type 'xs:dateTime'.* \(VALIDATION_FAILED\)$/m);
  });

  it('answers --help for each command; import\'s lists its exit statuses', async () => {
    for (const command of ['import', 'export', 'serve']) {
      const r = await cli(dir, command, '--help');
      expect(r.status).to.equal(0);
      expect(r.stdout).to.contain(`crm-bridge ${command}`);
    }
    const help = (await cli(dir, 'import', '--help')).stdout;
    for (const status of ['0   done', '1   done', '2   the file was refused', '3   the import could not run or did not finish', '64  usage error']) expect(help).to.contain(status);
  });
});
