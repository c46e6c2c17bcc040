// GET /exchange, the operator view of the drop folder, and the same figures on
// /metrics: a real server on port 0, a temporary SQLite file and exchange
// folder, every answer validated against xsd/exchange.xsd. The drop folder's polls are driven by the test,
// and a file is held in progress between two chunks by the drop folder's
// afterChunk hook, so nothing here waits on a timer.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claimName } from '../../src/drop-folder/folder-names.js';
import { NS } from '../../src/xml/namespaces.js';
import { exchangeMetrics, getExchange } from '../helpers/exchange-client.js';
import { expectServiceFault, request } from '../helpers/xml-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { holdAfterFirstChunk } from '../helpers/hold.js';
import { storeChunk } from '../../src/operations/batch-writes.js';
import { beginBatch, TEST_BY } from '../helpers/store.js';

function batch(records: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}">\n${records.join('\n')}\n</CustomerBatch>\n`;
}
const good = (ext: string): string => `<customer><externalId>${ext}</externalId><type>PERSON</type><name>P ${ext}</name></customer>`;
const nameless = '<customer><externalId>NO-NAME</externalId><type>PERSON</type></customer>';


describe('GET /exchange', () => {
  describe('with the drop folder switched off (CRM_EXCHANGE=off)', () => {
    let server: TestServer;
    before(async () => { server = await startServer({ CRM_EXCHANGE: 'off' }); });
    after(async () => { await server.close(); });

    it('answers that it is off, in the exchange namespace', async () => {
      const { view, text } = await getExchange(server.url);
      expect(view.state).to.equal('OFF');
      expect(view.folder).to.equal(undefined);
      expect(view.processed).to.equal(undefined);
      expect(text).to.contain(`<ExchangeStatus xmlns="${NS.exchange}">`);
      expect(text).to.not.contain(NS.crm);
      const metrics = await exchangeMetrics(server.url);
      expect(metrics.get('crm_exchange_watching')).to.equal(0);
      expect(metrics.get('crm_exchange_files_in_progress')).to.equal(0);
      expect([...metrics.keys()].filter((k) => k.startsWith('crm_exchange_files_total'))).to.deep.equal([]);
    });

    it('answers 405 with Allow for another method', async () => {
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const res = await fetch(`${server.url}/exchange`, { method });
        expect(res.status, method).to.equal(405);
        expect(res.headers.get('allow')).to.equal('GET');
      }
    });
  });

  describe('with the drop folder on', () => {
    let server: TestServer;
    /** What the drop folder's afterChunk hook does; undefined lets imports run through. */
    let atChunk: ((file: string, records: number) => Promise<void>) | undefined;
    const inbox = (name: string): string => path.join(server.config.exchangeDir ?? '', 'inbox', name);
    const poll = (): ReturnType<NonNullable<TestServer['dropFolder']>['poll']> => {
      if (server.dropFolder === undefined) throw new Error('no drop folder');
      return server.dropFolder.poll();
    };

    before(async () => {
      server = await startServer({ CRM_LOG_LEVEL: 'info', CRM_EXCHANGE_STABLE_MS: '0' }, { dropFolder: { chunkSize: 250, afterChunk: (file, records) => atChunk?.(file, records) } });
    });
    after(async () => { await server.close(); });

    it('starts out watching the folder, with nothing counted, in progress or waiting', async () => {
      const { view } = await getExchange(server.url);
      expect(view).to.deep.include({
        state: 'WATCHING',
        folder: path.join(server.dataDir, 'exchange'),
        processed: { imported: 0, failedRecords: 0, duplicate: 0 },
        failed: 0,
        inProgressCount: 0,
        inProgress: [],
        inboxCount: 0,
        inbox: [],
        lastError: undefined,
      });
    });

    it('counts files imported, with failed records, duplicate and unreadable, and shows the last error', async () => {
      const before = Date.now();
      // A different number of each, so that no two counts can be mixed up unnoticed.
      fs.writeFileSync(inbox('a.xml'), batch([good('A1'), good('A2')]));
      for (const n of [1, 2]) fs.writeFileSync(inbox(`b${n}.xml`), batch([good(`B${n}`), nameless]));
      for (const n of [1, 2, 3]) fs.writeFileSync(inbox(`c${n}.xml`), batch([good('A1'), good('A2')]));
      for (const n of [1, 2, 3, 4]) fs.writeFileSync(inbox(`d${n}.xml`), batch([good(`D${n}`)]).replace('</CustomerBatch>', ''));
      await poll();
      const outcomes = [...(await poll()).values()];
      expect(outcomes.filter((o) => o === 'imported')).to.have.length(1);

      const { view } = await getExchange(server.url);
      expect(view.processed).to.deep.equal({ imported: 1, failedRecords: 2, duplicate: 3 });
      expect(view.failed).to.equal(4);
      expect(view.inProgress).to.deep.equal([]);
      expect(view.inboxCount).to.equal(0);
      expect(view.lastError).to.include({ file: 'd4.xml', code: 'MALFORMED_XML' });
      expect(view.lastError?.message).to.match(/not well-formed XML.*line \d+, column \d+/);
      expect(Date.parse(view.lastError?.at ?? '')).to.be.at.least(before).and.at.most(Date.now());

      const metrics = await exchangeMetrics(server.url);
      expect(Object.fromEntries([...metrics].filter(([k]) => !k.startsWith('crm_exchange_last_error')))).to.deep.equal({
        'crm_exchange_files_total{outcome="imported"}': 1,
        'crm_exchange_files_total{outcome="failed_records"}': 2,
        'crm_exchange_files_total{outcome="duplicate"}': 3,
        'crm_exchange_files_total{outcome="unreadable"}': 4,
        crm_exchange_files_in_progress: 0,
        crm_exchange_in_progress_records_committed: 0,
        crm_exchange_inbox_files: 0,
        crm_exchange_watching: 1,
      });
      expect(metrics.get('crm_exchange_last_error_timestamp_seconds')).to.equal(Date.parse(view.lastError?.at ?? '') / 1000);
    });

    it('lists the batch files waiting in inbox/, in the order they will be taken', async () => {
      fs.writeFileSync(inbox('z.xml'), batch([good('Z1')]));
      fs.writeFileSync(inbox('y.xml'), batch([good('Y1'), good('Y2')]));
      fs.writeFileSync(inbox('upload.xml.part'), 'still being written');
      const { view } = await getExchange(server.url);
      expect(view.inboxCount).to.equal(2);
      expect(view.inbox.map((f) => [f.name, f.bytes])).to.deep.equal([
        ['y.xml', fs.statSync(inbox('y.xml')).size],
        ['z.xml', fs.statSync(inbox('z.xml')).size],
      ]);
      expect(view.inbox[0]?.modifiedAt).to.equal(fs.statSync(inbox('y.xml')).mtime.toISOString());
      expect((await exchangeMetrics(server.url)).get('crm_exchange_inbox_files')).to.equal(2);
      for (const name of ['y.xml', 'z.xml', 'upload.xml.part']) fs.rmSync(inbox(name));
    });

    it('shows a file in progress with the records committed so far and the bytes read, then counts it', async () => {
      const big = batch(Array.from({ length: 600 }, (_, i) => good(`BIG-${i}`)));
      fs.writeFileSync(inbox('big.xml'), big);
      await poll();
      const held = holdAfterFirstChunk();
      atChunk = held.afterChunk;
      // Claim names keep milliseconds.
      const claimedFrom = Math.floor(Date.now());
      const polling = poll();
      try {
        await held.reached;
        const { view } = await getExchange(server.url);
        expect(view.inProgressCount).to.equal(1);
        const [file] = view.inProgress;
        // One chunk of 250 records is committed; the import waits before the next.
        expect(file).to.deep.include({ name: 'big.xml', host: os.hostname(), pid: process.pid, phase: 'STORING', recordsCommitted: 250, bytes: Buffer.byteLength(big) });
        expect(file?.bytesRead).to.be.greaterThan(0).and.at.most(Buffer.byteLength(big));
        expect(Date.parse(file?.claimedAt ?? '')).to.be.at.least(claimedFrom).and.at.most(Date.now());
        expect(view.processed?.imported).to.equal(1);
        expect(server.logs.some((l) => l['msg'] === 'drop folder: importing' && l['file'] === 'big.xml' && l['bytes'] === Buffer.byteLength(big))).to.equal(true);
        const metrics = await exchangeMetrics(server.url);
        expect(metrics.get('crm_exchange_files_in_progress')).to.equal(1);
        expect(metrics.get('crm_exchange_in_progress_records_committed')).to.equal(250);
        expect(metrics.get('crm_exchange_files_total{outcome="imported"}')).to.equal(1);
      } finally {
        held.release();
      }
      expect((await polling).get('big.xml')).to.equal('imported');
      const { view } = await getExchange(server.url);
      expect(view.inProgress).to.deep.equal([]);
      expect(view.processed?.imported).to.equal(2);
      const metrics = await exchangeMetrics(server.url);
      expect(metrics.get('crm_exchange_files_in_progress')).to.equal(0);
      expect(metrics.get('crm_exchange_files_total{outcome="imported"}')).to.equal(2);
    });

    it('shows a file that failed unexpectedly as the last error while it waits in work/, logs it once, and counts it once the next poll finishes it', async () => {
      fs.writeFileSync(inbox('busy.xml'), batch(Array.from({ length: 300 }, (_, i) => good(`BUSY-${i}`))));
      await poll();
      atChunk = async () => {
        atChunk = undefined;
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      };
      const logsBefore = server.logs.length;
      expect((await poll()).has('busy.xml')).to.equal(false);
      const { view } = await getExchange(server.url);
      expect(view.inProgress.map((f) => [f.name, f.phase, f.recordsCommitted])).to.deep.equal([['busy.xml', 'STORING', 250]]);
      expect(view.lastError).to.include({ file: 'busy.xml', code: 'INTERNAL' });
      const errors = server.logs.slice(logsBefore).filter((l) => (l['level'] as number) >= 50);
      expect(errors.map((l) => l['msg'])).to.deep.equal(['drop folder: unexpected failure; the file stays in work/ and is tried again']);
      expect(errors[0]?.['requestId']).to.match(/--busy\.xml$/);
      expect(view.lastError?.message).to.contain(`quote request id ${String(errors[0]?.['requestId'])}`);

      expect((await poll()).get('busy.xml')).to.equal('imported');
      const { view: after } = await getExchange(server.url);
      expect(after.inProgress).to.deep.equal([]);
      expect(after.processed?.imported).to.equal((view.processed?.imported ?? 0) + 1);
      expect(server.logs.slice(logsBefore).filter((l) => (l['level'] as number) >= 50)).to.have.length(1);
    });

    it('keeps its counts and last error across a restart (they are in the store)', async () => {
      const { view: before } = await getExchange(server.url);
      await server.close();
      server = await startServer({ CRM_DATA_DIR: server.dataDir });
      const { view: after } = await getExchange(server.url);
      // This process runs no drop folder now: configured, but not watched by it.
      expect(after.state).to.equal('STOPPED');
      expect(after.processed).to.deep.equal(before.processed);
      expect(after.failed).to.equal(before.failed);
      expect(after.lastError).to.deep.equal(before.lastError);
      const metrics = await exchangeMetrics(server.url);
      expect(metrics.get('crm_exchange_files_total{outcome="imported"}')).to.equal(before.processed?.imported);
      expect(metrics.get('crm_exchange_watching')).to.equal(0);
    });
  });

  describe('with files claimed by another instance on the same store and folder', () => {
    let server: TestServer;
    before(async () => { server = await startServer(); });
    after(async () => { await server.close(); });

    it('lists them from work/, with the records the store has committed for them', async () => {
      const work = path.join(server.config.exchangeDir ?? '', 'work');
      fs.mkdirSync(work, { recursive: true });
      const claimedAt = new Date('2026-11-25T02:00:04.123Z');
      const storing = claimName('night.xml', 'other-host', 4711, claimedAt);
      const checking = claimName('late.xml', 'other-host', 4711, new Date('2026-11-25T02:05:00.000Z'));
      fs.writeFileSync(path.join(work, storing), batch([good('O1'), good('O2'), good('O3'), good('O4')]));
      fs.writeFileSync(path.join(work, checking), batch([good('O5')]));
      fs.writeFileSync(path.join(work, 'stray.txt'), 'not a claim');
      // What the other instance has committed so far: its batch has begun and one chunk of 3 records is stored.
      const now = new Date().toISOString();
      await beginBatch(server.store, 'other-batch', now, 'PARTIAL', { host: 'other-host', pid: 4711 }, 'sha256:other');
      await storeChunk(server.store, 'other-batch', [1, 2, 3].map((i) => ({ index: i, input: { externalId: `O${i}`, type: 'PERSON' as const, name: `P O${i}` } })), { now, newId: () => `id-${Math.random()}`, by: TEST_BY }, undefined);
      await server.store.write((u) => u.ledger.startFile({ claim: storing, name: 'night.xml', claimedAt: claimedAt.toISOString() }, 'other-batch'));

      const { view } = await getExchange(server.url);
      expect(view.state).to.equal('STOPPED');
      expect(view.inProgress).to.deep.equal([
        { name: 'night.xml', claimedAt: '2026-11-25T02:00:04.123Z', host: 'other-host', pid: 4711, phase: 'STORING', recordsCommitted: 3, bytesRead: undefined, bytes: fs.statSync(path.join(work, storing)).size },
        { name: 'late.xml', claimedAt: '2026-11-25T02:05:00.000Z', host: 'other-host', pid: 4711, phase: 'CHECKING', recordsCommitted: 0, bytesRead: undefined, bytes: fs.statSync(path.join(work, checking)).size },
      ]);
      const metrics = await exchangeMetrics(server.url);
      expect(metrics.get('crm_exchange_files_in_progress')).to.equal(2);
      expect(metrics.get('crm_exchange_in_progress_records_committed')).to.equal(3);
    });
  });

  describe('when the folder cannot be read', () => {
    let server: TestServer;
    before(async () => {
      server = await startServer();
      // inbox/ is a file: listing it fails, as it would on a share that went away.
      fs.mkdirSync(server.config.exchangeDir ?? '', { recursive: true });
      fs.writeFileSync(path.join(server.config.exchangeDir ?? '', 'inbox'), '');
    });
    after(async () => { await server.close(); });

    it('answers an INTERNAL ServiceFault on /exchange, and the other metrics on /metrics', async () => {
      const fault = expectServiceFault(await request(`${server.url}/exchange`), 500, 'INTERNAL');
      expect(fault.message).to.match(/quote request id/);
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).to.equal(200);
      const text = await res.text();
      expect(text).to.match(/^crm_exchange_watching 0$/m);
      expect(text).to.match(/^process_cpu_seconds_total /m);
    });
  });
});
