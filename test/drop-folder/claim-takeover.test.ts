// Files left in the drop folder's work/: who may take one over, and when.
// Several instances (hosts and processes played through the claimant option)
// share one folder, one store and one clock that the test moves; an instance
// "killed" mid-file is one held forever in its afterChunk hook, so nothing
// here sleeps or depends on real time.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { DropFolder, type DropFolderOptions } from '../../src/drop-folder/drop-folder.js';
import { claimName } from '../../src/drop-folder/folder-names.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { XsdValidator } from '../../src/validation/xsd-validator.js';
import { withDispatcher } from '../helpers/with-dispatcher.js';
import { NS } from '../../src/xml/namespaces.js';
import { tempDir } from '../helpers/temp-dir.js';
import { holdAfterFirstChunk } from '../helpers/hold.js';

const RECORDS = 6;
const LEASE_MS = 60_000;

function batch(records: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}">\n${records.join('\n')}\n</CustomerBatch>\n`;
}
const good = (ext: string): string => `<customer><externalId>${ext}</externalId><type>PERSON</type><name>P ${ext}</name></customer>`;
const nightly = batch(Array.from({ length: RECORDS }, (_, i) => good(`N-${i + 1}`)));



describe('drop folder: files left in work/ (takeover)', () => {
  const validator = new XsdValidator();
  let root: string;
  let db: Database.Database;
  let store: SqliteStore;
  let clock: number;
  /** Processes of host-a that run, besides each instance's own. */
  let running: Set<number>;
  let logged: { msg: string; obj: Record<string, unknown> }[];
  let released: (() => void)[];

  beforeEach(() => {
    root = tempDir('crm-takeover-');
    db = openDatabase(path.join(root, 'crm.db'));
    store = new SqliteStore(db);
    clock = Date.parse('2026-11-25T02:00:00.000Z');
    running = new Set();
    logged = [];
    released = [];
  });
  afterEach(async () => {
    // A held import left over by a failed assertion ends before the store closes.
    for (const release of released) release();
    await store.close();
  });

  function instance(host: string, pid: number, tuning: Partial<DropFolderOptions> = {}): DropFolder {
    const record = (obj: object, msg: string): void => { logged.push({ msg, obj: obj as Record<string, unknown> }); };
    return new DropFolder({
      root: path.join(root, 'exchange'),
      ...withDispatcher({ store, now: () => new Date(clock).toISOString(), newId: () => randomUUID() }, validator),
      log: { error: record, info: record },
      stableMs: 0,
      chunkSize: 2,
      claimant: { host, pid, isRunning: (p) => p === pid || running.has(p) },
      ...tuning,
    });
  }

  const dir = (folder: string): string => path.join(root, 'exchange', folder);
  const list = (folder: string): string[] => fs.readdirSync(dir(folder)).sort();
  const count = (sql: string): number => db.prepare(sql).pluck().get() as number;
  const report = (): string => fs.readFileSync(path.join(dir('outbox'), 'nightly.xml.report.xml'), 'utf8');

  /** nightly.xml in work/ under a claim of `host` and `pid`, made now, as a claimant that died before recording anything leaves it. */
  function leftInWork(host: string, pid: number): string {
    const claim = claimName('nightly.xml', host, pid, new Date(clock));
    fs.mkdirSync(dir('work'), { recursive: true });
    fs.writeFileSync(path.join(dir('work'), claim), nightly);
    return claim;
  }

  /** Every record of nightly.xml stored once, and its one report complete. */
  function expectImportedOnce(): void {
    expect(count('SELECT count(*) FROM customers')).to.equal(RECORDS);
    expect(count("SELECT count(*) FROM change_log WHERE kind = 'CREATED'")).to.equal(RECORDS);
    expect(count('SELECT count(*) FROM change_log')).to.equal(RECORDS);
    expect(list('outbox')).to.deep.equal(['nightly.xml.report.xml']);
    expect(report()).to.contain(`<created>${RECORDS}</created>`).and.not.contain('duplicate');
    expect(report().match(/<status>CREATED<\/status>/g)).to.have.length(RECORDS);
    expect(list('work')).to.deep.equal([]);
    expect(list('archive')).to.have.length(1);
  }

  /** host-a takes nightly.xml and stops after its first chunk (2 records stored), as if it hung or was killed there. */
  async function claimedByHostA(): Promise<{ folder: DropFolder; polling: Promise<Map<string, string>>; release: () => void; claim: string }> {
    const held = holdAfterFirstChunk();
    released.push(held.release);
    const a = instance('host-a', 100, { afterChunk: held.afterChunk });
    fs.writeFileSync(path.join(dir('inbox'), 'nightly.xml'), nightly);
    await a.poll();
    const polling = a.poll();
    await held.reached;
    const [claim] = list('work');
    expect(claim).to.match(/\.host-a\.100--nightly\.xml$/);
    expect(count('SELECT count(*) FROM customers')).to.equal(2);
    return { folder: a, polling, release: held.release, claim: claim ?? '' };
  }

  describe('claimed by another host', () => {
    it('leaves the file alone while its claimant\'s lease runs, at every poll', async () => {
      const a = await claimedByHostA();
      const b = instance('host-b', 200);
      for (const after of [0, 30_000, LEASE_MS - 1]) {
        clock = Date.parse('2026-11-25T02:00:00.000Z') + after;
        expect((await b.poll()).size, `${after} ms after the claim`).to.equal(0);
        expect(list('work'), `${after} ms after the claim`).to.deep.equal([a.claim]);
      }
      a.release();
      expect((await a.polling).get('nightly.xml')).to.equal('imported');
      expectImportedOnce();
    });

    it('takes it over on a later poll once the lease has run out, and goes on after the records already stored', async () => {
      await claimedByHostA(); // and never let go: its lease runs out
      const b = instance('host-b', 200);
      clock += 30_000;
      expect((await b.poll()).size).to.equal(0);
      clock += LEASE_MS;
      expect((await b.poll()).get('nightly.xml')).to.equal('imported');
      expectImportedOnce();
      expect((await store.read((u) => u.ledger.read([]))).files).to.deep.include({ imported: 1, duplicate: 0 });
    });

    it('stops the claimant it took over from when that one comes back: no second report, count or write', async () => {
      const a = await claimedByHostA();
      const b = instance('host-b', 200);
      clock += LEASE_MS + 1;
      expect((await b.poll()).get('nightly.xml')).to.equal('imported');
      a.release();
      expect((await a.polling).has('nightly.xml')).to.equal(false);
      expectImportedOnce();
      expect(count('SELECT max(version) FROM customers')).to.equal(1);
      expect(count('SELECT unchanged FROM batches')).to.equal(0);
      expect((await store.read((u) => u.ledger.read([]))).files).to.deep.include({ imported: 1, duplicate: 0 });
      expect(logged.some((l) => l.msg.includes('taken over') && l.obj['claim'] === a.claim)).to.equal(true);
    });

    it('keeps a file whose claimant renews its claim, however long the import takes', async () => {
      const a = await claimedByHostA();
      const b = instance('host-b', 200);
      for (let i = 0; i < 5; i++) {
        clock += LEASE_MS / 2;
        await a.folder.renewClaims();
        expect((await b.poll()).size).to.equal(0);
      }
      a.release();
      expect((await a.polling).get('nightly.xml')).to.equal('imported');
      expectImportedOnce();
    });

    it('takes over a claim the store has no record of (its claimant died right after the rename) once the claim is older than the lease', async () => {
      leftInWork('host-gone', 300);
      const b = instance('host-b', 200);
      clock += LEASE_MS - 1;
      expect((await b.poll()).size).to.equal(0);
      clock += 2;
      expect((await b.poll()).get('nightly.xml')).to.equal('imported');
      expectImportedOnce();
    });

    it('lets exactly one of two instances take an abandoned file over', async () => {
      await claimedByHostA();
      const b = instance('host-b', 200);
      const c = instance('host-c', 300);
      clock += LEASE_MS + 1;
      const outcomes = await Promise.all([b.poll(), c.poll()]);
      expect(outcomes.map((o) => o.get('nightly.xml')).filter((o) => o !== undefined)).to.deep.equal(['imported']);
      expectImportedOnce();
    });
  });

  describe('after a crash between the end of its batch and leaving work/', () => {
    /** `folder` is a plain file for a moment: whatever this process writes there fails, as if it died right there. */
    async function failingAt(folder: string, run: () => Promise<unknown>): Promise<void> {
      fs.rmSync(dir(folder), { recursive: true });
      fs.writeFileSync(dir(folder), '');
      try {
        await run().catch(() => undefined);
      } finally {
        fs.rmSync(dir(folder));
        fs.mkdirSync(dir(folder));
      }
    }

    it('gives the file its own report (imported, not a duplicate of itself) when the crash came while the report was written', async () => {
      const a = instance('host-a', 100);
      fs.writeFileSync(path.join(dir('inbox'), 'nightly.xml'), nightly);
      await a.poll();
      await failingAt('outbox', () => a.poll());
      expect(count("SELECT count(*) FROM batches WHERE state = 'DONE'")).to.equal(1);
      expect(list('work')).to.have.length(1);
      // The restart: process 100 no longer runs.
      expect((await instance('host-a', 101).poll()).get('nightly.xml')).to.equal('imported');
      expectImportedOnce();
      expect((await store.read((u) => u.ledger.read([]))).files).to.deep.include({ imported: 1, duplicate: 0 });
    });

    it('says so with failed records too', async () => {
      const a = instance('host-a', 100);
      fs.writeFileSync(path.join(dir('inbox'), 'nightly.xml'), batch([good('F-1'), '<customer><externalId>F-2</externalId><type>PERSON</type></customer>']));
      await a.poll();
      await failingAt('outbox', () => a.poll());
      expect((await instance('host-a', 101).poll()).get('nightly.xml')).to.equal('failed-records');
      expect(report()).to.contain('<failed>1</failed>').and.not.contain('duplicate');
      expect((await store.read((u) => u.ledger.read([]))).files).to.deep.include({ 'failed-records': 1, duplicate: 0 });
    });

    it('only archives the file when its report was written and its outcome recorded: no second report, counted once', async () => {
      const a = instance('host-a', 100);
      fs.writeFileSync(path.join(dir('inbox'), 'nightly.xml'), nightly);
      await a.poll();
      await failingAt('archive', () => a.poll());
      expect(list('work')).to.have.length(1);
      expect((await instance('host-a', 101).poll()).get('nightly.xml')).to.equal('imported');
      expectImportedOnce();
      expect((await store.read((u) => u.ledger.read([]))).files).to.deep.include({ imported: 1, duplicate: 0 });
    });

    it('moves an unreadable file on to error/ the same way, with its one report', async () => {
      const a = instance('host-a', 100);
      fs.writeFileSync(path.join(dir('inbox'), 'nightly.xml'), nightly.replace('</CustomerBatch>', ''));
      await a.poll();
      await failingAt('error', () => a.poll());
      expect((await instance('host-a', 101).poll()).get('nightly.xml')).to.equal('unreadable');
      expect(list('outbox')).to.deep.equal(['nightly.xml.report.xml']);
      expect(list('error')).to.have.length(1);
      expect(list('work')).to.deep.equal([]);
      expect((await store.read((u) => u.ledger.read([]))).files).to.deep.include({ unreadable: 1 });
    });
  });

  describe('claimed on this host', () => {
    it('takes over at once the file of a process that no longer runs', async () => {
      leftInWork('host-a', 100);
      expect((await instance('host-a', 101).poll()).get('nightly.xml')).to.equal('imported');
      expectImportedOnce();
    });

    it('leaves the file of a running process alone, however old its claim', async () => {
      const claim = leftInWork('host-a', 100);
      running.add(100);
      clock += 10 * LEASE_MS;
      expect((await instance('host-a', 101).poll()).size).to.equal(0);
      expect(list('work')).to.deep.equal([claim]);
    });

    it('takes over at once a file claimed under its own process id that it does not hold (restarted with the same pid)', async () => {
      leftInWork('host-a', 100);
      expect((await instance('host-a', 100).poll()).get('nightly.xml')).to.equal('imported');
      expectImportedOnce();
    });

    it('lets exactly one of two surviving processes take a dead one\'s file over', async () => {
      leftInWork('host-a', 100);
      const outcomes = await Promise.all([instance('host-a', 101).poll(), instance('host-a', 102).poll()]);
      expect(outcomes.map((o) => o.get('nightly.xml')).filter((o) => o !== undefined)).to.deep.equal(['imported']);
      expectImportedOnce();
    });
  });
});
