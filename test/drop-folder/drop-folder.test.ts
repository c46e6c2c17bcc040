// The drop folder with real files in a temporary folder: complete, growing,
// duplicate, malformed and non-XML files, polled step by step.
import { finishFile, holdClaim, knownClaim, takeOver } from '../../src/drop-folder/claim-ledger.js';
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DropFolder } from '../../src/drop-folder/drop-folder.js';
import { isCandidate } from '../../src/drop-folder/folder-names.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { XsdValidator } from '../../src/validation/xsd-validator.js';
import { withDispatcher } from '../helpers/with-dispatcher.js';
import { NS } from '../../src/xml/namespaces.js';
import { HUGE_RECORD_BOUND, HUGE_SHAPE, SMALL_HEAP_MB, writeBatchWithHugeRecord } from '../helpers/huge-record.js';
import { tempDir } from '../helpers/temp-dir.js';
import { customerByExternalId } from '../helpers/store.js';
import { leaseFrom } from '../../src/domain/batch.js';

const silent = { error: () => undefined, info: () => undefined };

function batch(records: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}">\n${records.join('\n')}\n</CustomerBatch>\n`;
}
const good = (ext: string): string => `<customer><externalId>${ext}</externalId><type>PERSON</type><name>P ${ext}</name></customer>`;

describe('drop folder (inbox, outbox, archive, error)', () => {
  let root: string;
  let store: SqliteStore;
  let folder: DropFolder;
  beforeEach(() => {
    root = tempDir('crm-drop-');
    store = new SqliteStore(openDatabase(path.join(root, 'crm.db')));
    folder = new DropFolder({
      root: path.join(root, 'exchange'),
      ...withDispatcher({ store, now: () => new Date().toISOString(), newId: () => randomUUID() }),
      log: silent,
      stableMs: 0,
    });
  });
  afterEach(async () => { await store.close(); });

  const inbox = (name: string): string => path.join(folder.dir('inbox'), name);
  const list = (dir: 'inbox' | 'outbox' | 'archive' | 'error' | 'work'): string[] => fs.readdirSync(folder.dir(dir)).sort();

  it('takes a complete file on the second look, writes its report to outbox/ and archives the original', async () => {
    fs.writeFileSync(inbox('customers-20261124.xml'), batch([good('A1'), good('A2')]));
    expect((await folder.poll()).size).to.equal(0);
    expect((await folder.poll()).get('customers-20261124.xml')).to.equal('imported');
    expect(list('inbox')).to.deep.equal([]);
    expect(list('outbox')).to.deep.equal(['customers-20261124.xml.report.xml']);
    const report = fs.readFileSync(path.join(folder.dir('outbox'), 'customers-20261124.xml.report.xml'), 'utf8');
    expect(report).to.contain('<created>2</created>');
    expect(list('archive')).to.have.length(1);
    expect(list('archive')[0]).to.match(/^customers-20261124-\d{8}T\d{9}Z\.xml$/);
    expect(list('work')).to.deep.equal([]);
    expect(await customerByExternalId(store, 'A2')).to.exist;
  });

  it('leaves a file alone while its size or mtime still changes', async () => {
    fs.writeFileSync(inbox('growing.xml'), '<?xml version="1.0"?>\n<CustomerBatch xmlns="urn:crm-bridge:customer:v1">\n');
    await folder.poll();
    fs.appendFileSync(inbox('growing.xml'), `${good('G1')}\n</CustomerBatch>\n`);
    expect((await folder.poll()).size).to.equal(0);
    expect(list('inbox')).to.deep.equal(['growing.xml']);
    expect((await folder.poll()).get('growing.xml')).to.equal('imported');
  });

  it('waits until a file has been untouched for stableMs', async () => {
    const slow = new DropFolder({ root: path.join(root, 'slow'), ...withDispatcher({ store, now: () => new Date().toISOString(), newId: () => randomUUID() }), log: silent, stableMs: 60_000 });
    fs.writeFileSync(path.join(slow.dir('inbox'), 'fresh.xml'), batch([good('S1')]));
    await slow.poll();
    expect((await slow.poll()).size).to.equal(0);
    expect((await slow.poll(Date.now() + 61_000)).get('fresh.xml')).to.equal('imported');
  });

  it('does not import the same content twice: the second report is the first, marked duplicate', async () => {
    fs.writeFileSync(inbox('monday.xml'), batch([good('D1')]));
    await folder.poll();
    await folder.poll();
    fs.writeFileSync(inbox('tuesday.xml'), batch([good('D1')]));
    await folder.poll();
    expect((await folder.poll()).get('tuesday.xml')).to.equal('duplicate');
    const report = fs.readFileSync(path.join(folder.dir('outbox'), 'tuesday.xml.report.xml'), 'utf8');
    expect(report).to.match(/^<\?xml[^>]*\?>\n<!-- tuesday\.xml: duplicate of a file imported before/);
    expect(report).to.contain('<created>1</created>');
    expect(list('archive')).to.have.length(2);
  });

  it('moves a file that cannot be read to error/, with a report saying why, and stores nothing', async () => {
    fs.writeFileSync(inbox('broken.xml'), batch([good('B1')]).replace('</CustomerBatch>', ''));
    await folder.poll();
    expect((await folder.poll()).get('broken.xml')).to.equal('unreadable');
    expect(list('error')).to.have.length(1);
    const report = fs.readFileSync(path.join(folder.dir('outbox'), 'broken.xml.report.xml'), 'utf8');
    expect(report).to.contain('<code>MALFORMED_XML</code>');
    expect(await customerByExternalId(store, 'B1')).to.equal(undefined);
  });

  it('ignores files that are not .xml, hidden files and partial-upload names', async () => {
    for (const name of ['notes.txt', '.hidden.xml', 'upload.xml.tmp', 'upload.xml.part', 'upload.xml~']) fs.writeFileSync(inbox(name), 'x');
    await folder.poll();
    expect((await folder.poll()).size).to.equal(0);
    expect(list('inbox')).to.have.length(5);
    expect(['a.xml', 'A.XML'].map(isCandidate)).to.deep.equal([true, true]);
  });

  it('records what became of each file in the store, with the last error', async () => {
    fs.writeFileSync(inbox('a.xml'), batch([good('L1')]));
    fs.writeFileSync(inbox('b.xml'), batch([good('L2'), '<customer><type>PERSON</type></customer>']));
    fs.writeFileSync(inbox('c.xml'), batch([good('L1')]));
    fs.writeFileSync(inbox('d.xml'), batch([good('L3')]).replace('</CustomerBatch>', ''));
    await folder.poll();
    expect([...(await folder.poll()).values()]).to.deep.equal(['imported', 'failed-records', 'duplicate', 'unreadable']);
    const ledger = await store.read((u) => u.ledger.read([]));
    expect(ledger.files).to.deep.equal({ imported: 1, 'failed-records': 1, duplicate: 1, unreadable: 1 });
    expect(ledger.lastError).to.include({ file: 'd.xml', code: 'MALFORMED_XML' });
    expect(ledger.lastError?.message).to.match(/not well-formed/);
  });

  it('counts a file finished again after a crash once, with its first outcome', async () => {
    const file = { claim: '20261125T020004123Z.crm-1.4711--again.xml', name: 'again.xml', claimedAt: '2026-11-25T02:00:04.123Z' };
    await store.write((u) => finishFile(u.ledger, file, 'imported', '2026-11-25T02:00:09.000Z'));
    await store.write((u) => finishFile(u.ledger, file, 'duplicate', '2026-11-25T02:01:00.000Z'));
    expect((await store.read((u) => u.ledger.read([]))).files).to.deep.equal({ imported: 1, 'failed-records': 0, duplicate: 0, unreadable: 0 });
  });

  it('moves a claim taken over to its successor: the old one can be neither held nor finished, the new one keeps its batch and outcome, counted once', async () => {
    const from = { claim: '20261125T020004123Z.crm-1.4711--moved.xml', name: 'moved.xml', claimedAt: '2026-11-25T02:00:04.123Z' };
    const to = { claim: '20261125T020200000Z.crm-2.815--moved.xml', name: 'moved.xml', claimedAt: '2026-11-25T02:02:00.000Z' };
    expect(await store.write((u) => holdClaim(u.ledger, from, leaseFrom('2026-11-25T02:00:05.000Z')))).to.include({ leaseUntil: '2026-11-25T02:01:05.000Z', batchKey: undefined });
    await store.write((u) => u.ledger.startFile(from, 'batch-of-moved'));
    await store.write((u) => finishFile(u.ledger, from, 'imported', '2026-11-25T02:00:09.000Z'));
    await store.write((u) => takeOver(u.ledger, from, to, leaseFrom('2026-11-25T02:02:00.000Z')));
    expect(await store.write((u) => holdClaim(u.ledger, from, leaseFrom('2026-11-25T02:02:01.000Z')))).to.equal(undefined);
    expect(await store.read((u) => knownClaim(u.ledger, from))).to.include({ takenOverBy: to.claim });
    expect(await store.write((u) => holdClaim(u.ledger, to, leaseFrom('2026-11-25T02:02:01.000Z')))).to.deep.equal({
      leaseUntil: '2026-11-25T02:03:01.000Z', batchKey: 'batch-of-moved', outcome: 'imported', takenOverBy: undefined,
    });
    await store.write((u) => finishFile(u.ledger, to, 'imported', '2026-11-25T02:02:02.000Z'));
    expect((await store.read((u) => u.ledger.read([]))).files).to.deep.equal({ imported: 1, 'failed-records': 0, duplicate: 0, unreadable: 0 });

    // Fenced before it was finished: the claimant that lost the file cannot count it.
    const lost = { ...from, claim: '20261125T030000000Z.crm-1.4711--lost.xml', name: 'lost.xml' };
    await store.write((u) => holdClaim(u.ledger, lost, leaseFrom('2026-11-25T03:00:00.000Z')));
    await store.write((u) => takeOver(u.ledger, lost, { ...to, claim: '20261125T030200000Z.crm-2.815--lost.xml', name: 'lost.xml' }, leaseFrom('2026-11-25T03:02:00.000Z')));
    await store.write((u) => finishFile(u.ledger, lost, 'imported', '2026-11-25T03:02:30.000Z'));
    expect((await store.read((u) => u.ledger.read([]))).files.imported).to.equal(1);
  });

  it('dates a claim the store never saw by its name: it counts as alive for a lease from when it was claimed', async () => {
    const file = { claim: '20261125T020004123Z.crm-1.4711--unseen.xml', name: 'unseen.xml', claimedAt: '2026-11-25T02:00:04.123Z' };
    expect(await store.read((u) => knownClaim(u.ledger, file))).to.deep.equal({ leaseUntil: '2026-11-25T02:01:04.123Z', batchKey: undefined, outcome: undefined, takenOverBy: undefined });
  });

  it('keeps report names unique when the same file name comes again', async () => {
    fs.writeFileSync(inbox('daily.xml'), batch([good('R1')]));
    await folder.poll();
    await folder.poll();
    fs.writeFileSync(inbox('daily.xml'), batch([good('R2')]));
    await folder.poll();
    await folder.poll();
    expect(list('outbox')).to.have.length(2);
    expect(list('outbox')).to.deep.equal([list('outbox')[0], 'daily.xml.report.xml']);
    expect(list('outbox')[0]).to.match(/^daily\.xml-\d{8}T\d{9}Z\.report\.xml$/);
  });
});

describe('drop folder: an unexpected failure while importing a file (disk full, database busy)', () => {
  const validator = new XsdValidator();
  let root: string;
  let db: ReturnType<typeof openDatabase>;
  let store: SqliteStore;
  let errors: Record<string, unknown>[];
  /** Attempts at a.xml that fail after their first chunk, from now on. */
  let failing: number;
  /** Chunks of a.xml stored, per attempt. */
  let attempts: number;
  /** Whether every failure is the same (else they alternate between two). */
  let sameFailure: boolean;
  let folder: DropFolder;

  beforeEach(() => {
    root = tempDir('crm-drop-fail-');
    db = openDatabase(path.join(root, 'crm.db'));
    store = new SqliteStore(db);
    errors = [];
    failing = 0;
    attempts = 0;
    sameFailure = false;
    folder = new DropFolder({
      root: path.join(root, 'exchange'),
      ...withDispatcher({ store, now: () => new Date().toISOString(), newId: () => randomUUID() }, validator),
      log: { error: (obj) => { errors.push(obj as Record<string, unknown>); }, info: () => undefined },
      stableMs: 0,
      chunkSize: 2,
      afterChunk: (file, records) => {
        if (file !== 'a.xml' || records !== 2) return;
        attempts += 1;
        if (failing > 0) {
          failing -= 1;
          // Each failure differs from the one before it unless a test asks for the same one again.
          throw sameFailure || failing % 2 === 0
            ? Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })
            : Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
        }
      },
    });
  });
  afterEach(async () => { await store.close(); });

  const inbox = (name: string): string => path.join(folder.dir('inbox'), name);
  const list = (dir: 'outbox' | 'archive' | 'work'): string[] => fs.readdirSync(folder.dir(dir)).sort();
  const count = (sql: string): number => db.prepare(sql).pluck().get() as number;

  it('leaves the file in work/ as the last error, goes on with the other files, and finishes it at the next poll where it stopped', async () => {
    fs.writeFileSync(inbox('a.xml'), batch(['A1', 'A2', 'A3', 'A4', 'A5', 'A6'].map(good)));
    fs.writeFileSync(inbox('b.xml'), batch([good('B1')]));
    failing = 1;
    await folder.poll();
    const first = await folder.poll();
    expect([...first]).to.deep.equal([['b.xml', 'imported']]);
    const [claim] = list('work');
    expect(claim).to.match(/--a\.xml$/);
    expect(count('SELECT count(*) FROM customers')).to.equal(3);
    const ledger = await store.read((u) => u.ledger.read([]));
    expect(ledger.lastError).to.include({ file: 'a.xml', code: 'INTERNAL' });
    expect(ledger.lastError?.message).to.contain(`quote request id ${claim ?? ''}`);
    expect(errors, 'one log line for the one failure').to.have.length(1);
    expect(errors[0]).to.include({ requestId: claim, file: 'a.xml' });
    expect((errors[0]?.['err'] as Error).message).to.equal('database is locked');

    expect([...(await folder.poll())]).to.deep.equal([['a.xml', 'imported']]);
    expect(count('SELECT count(*) FROM customers')).to.equal(7);
    expect(count("SELECT count(*) FROM change_log WHERE kind = 'CREATED'")).to.equal(7);
    const report = fs.readFileSync(path.join(folder.dir('outbox'), 'a.xml.report.xml'), 'utf8');
    expect(report).to.contain('<created>6</created>').and.not.contain('duplicate');
    expect(report.match(/<status>CREATED<\/status>/g)).to.have.length(6);
    expect(list('work')).to.deep.equal([]);
    expect(list('archive')).to.have.length(2);
    expect((await store.read((u) => u.ledger.read([]))).files).to.deep.include({ imported: 2, duplicate: 0 });
    expect(errors).to.have.length(1);
  });

  it('moves a file that fails the same way twice in a row to error/ with a ServiceFault report, counts it as failed, and does not try it again', async () => {
    fs.writeFileSync(inbox('a.xml'), batch(['A1', 'A2', 'A3', 'A4'].map(good)));
    failing = 5;
    sameFailure = true;
    await folder.poll();
    expect((await folder.poll()).size).to.equal(0);
    const [claim] = list('work');
    expect([...(await folder.poll())]).to.deep.equal([['a.xml', 'unreadable']]);
    expect(attempts).to.equal(2);
    expect(list('work')).to.deep.equal([]);
    expect(fs.readdirSync(folder.dir('error'))).to.have.length(1).and.to.satisfy((names: string[]) => /^a-\d{8}T\d{9}Z\.xml$/.test(names[0] ?? ''));
    const report = fs.readFileSync(path.join(folder.dir('outbox'), 'a.xml.report.xml'), 'utf8');
    expect(report).to.contain('<ServiceFault').and.contain('<code>INTERNAL</code>');
    expect(report).to.contain(`quote request id ${claim ?? ''}`).and.contain('failed the same way twice in a row and was not tried again: 2 of its records were committed');
    const ledger = await store.read((u) => u.ledger.read([]));
    expect(ledger.files).to.deep.include({ unreadable: 1, imported: 0 });
    expect(ledger.lastError).to.include({ file: 'a.xml', code: 'INTERNAL' });
    expect(errors.map((e) => e['requestId'])).to.deep.equal([claim, claim]);
    for (let poll = 0; poll < 70; poll++) expect((await folder.poll()).size).to.equal(0);
    expect(attempts, 'not tried again').to.equal(2);
    expect(count('SELECT count(*) FROM customers')).to.equal(2);
  });

  it('waits twice as many polls after each failure in a row, each unlike the one before, before trying again', async () => {
    fs.writeFileSync(inbox('a.xml'), batch(['A1', 'A2', 'A3'].map(good)));
    failing = 3;
    await folder.poll();
    const tried: number[] = [];
    for (let poll = 1; poll <= 8; poll++) {
      const before = attempts;
      await folder.poll();
      tried.push(attempts - before);
    }
    // Failures at polls 1, 2 and 4; then 1, 2 and 4 polls of waiting; the fourth attempt succeeds.
    expect(tried).to.deep.equal([1, 1, 0, 1, 0, 0, 0, 1]);
    expect(errors).to.have.length(3);
    expect(list('work')).to.deep.equal([]);
    expect(count('SELECT count(*) FROM customers')).to.equal(3);
  });
});

describe('drop folder: the thread reading records dies on a file', () => {
  it('fails the file, tries it once more, and on the same crash moves it to error/ with a report saying what happened and where it stopped', async function () {
    this.timeout(60_000);
    const root = tempDir('crm-drop-crash-');
    const store = new SqliteStore(openDatabase(path.join(root, 'crm.db')));
    const errors: Record<string, unknown>[] = [];
    try {
      const folder = new DropFolder({
        root: path.join(root, 'exchange'),
        ...withDispatcher({ store, now: () => new Date().toISOString(), newId: () => randomUUID() }, undefined, HUGE_SHAPE),
        log: { error: (obj) => { errors.push(obj as Record<string, unknown>); }, info: () => undefined },
        stableMs: 0,
        chunkSize: 2,
        workers: { enabled: true, minBytes: 0, maxHeapMb: SMALL_HEAP_MB },
        maxRecordChars: HUGE_RECORD_BOUND,
      });
      writeBatchWithHugeRecord(path.join(folder.dir('inbox'), 'huge.xml'), 5);
      await folder.poll();
      expect((await folder.poll()).size, 'the first crash: tried again').to.equal(0);
      expect(fs.readdirSync(folder.dir('work'))).to.have.length(1);
      expect((errors[0]?.['err'] as Error).message).to.contain('the thread reading records ran out of memory');
      expect([...(await folder.poll())]).to.deep.equal([['huge.xml', 'unreadable']]);
      expect(fs.readdirSync(folder.dir('work'))).to.deep.equal([]);
      expect(fs.readdirSync(folder.dir('error'))).to.have.length(1);
      const report = fs.readFileSync(path.join(folder.dir('outbox'), 'huge.xml.report.xml'), 'utf8');
      expect(report).to.contain('<code>INTERNAL</code>');
      expect(report).to.match(/the thread reading records ran out of memory \(ERR_WORKER_OUT_OF_MEMORY[^<]*after record 4 of the batch \(the thread had read \d+ of \d+ bytes by then\)/);
      expect(report).to.contain('failed the same way twice in a row and was not tried again: 4 of its records were committed');
      expect((await store.read((u) => u.ledger.read([]))).files).to.deep.include({ unreadable: 1 });
      for (let poll = 0; poll < 3; poll++) expect((await folder.poll()).size).to.equal(0);
      expect(await customerByExternalId(store, 'H4')).to.exist;
      expect(await customerByExternalId(store, 'H5')).to.equal(undefined);
    } finally {
      await store.close();
    }
  });
});
