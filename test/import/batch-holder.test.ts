// A batchId is imported by one process at a time. Sent again while a live
// process imports it (another request of this process, another instance on
// the same store): UNAVAILABLE with Retry-After, changing nothing. Sent again
// after the process importing it died (kill -9, or a restart given the same
// pid): resumed at once where it stopped, each record stored exactly once,
// without waiting for the dead process's lease to run out.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Element } from 'libxmljs2';
import { NS } from '../../src/xml/namespaces.js';
import { record } from '../helpers/batch.js';
import { envelope, expectFault, faultOf, postSoap, text, VERSIONS, type SoapAnswer, type Version } from '../helpers/soap-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { expectServiceFault, request, type XmlAnswer } from '../helpers/xml-client.js';
import { until } from '../helpers/until.js';
import { holdAfterFirstChunk } from '../helpers/hold.js';
import { storeChunk } from '../../src/operations/batch-writes.js';
import { beginBatch, customerByExternalId, TEST_BY } from '../helpers/store.js';
import { batchOnDisk, expectCreatedOnce } from '../helpers/batch-on-disk.js';
import { retryAfterOf } from '../helpers/retry-after.js';
import { serve, stop } from '../helpers/serve-process.js';

const Q = { c: NS.crm };

function batch(records: readonly string[], batchId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}" batchId="${batchId}">\n${records.join('\n')}\n</CustomerBatch>\n`;
}
const good = (ext: string): string =>
  `<customer><externalId>${ext}</externalId><type>PERSON</type><name>P ${ext}</name><addresses><address type="BILLING"><line1>l</line1><city>c</city><country>DE</country></address></addresses></customer>`;

function postBatch(url: string, body: string): Promise<XmlAnswer> {
  return request(`${url}/xml/batches`, { method: 'POST', body, headers: { 'content-type': 'application/xml' } });
}

function upsert(soapUrl: string, v: Version, batchId: string, externalId: string): Promise<SoapAnswer> {
  return postSoap(soapUrl, v, envelope(v, `<c:UpsertCustomers batchId="${batchId}">${record(externalId)}</c:UpsertCustomers>`), { action: `${NS.crm}/UpsertCustomers` });
}

interface Report { created: number; failed: number; indexes: number[] }

function reportOf(answer: XmlAnswer): Report {
  expect(answer.status, answer.text.slice(0, 2000)).to.equal(200);
  const root = answer.doc?.root() as Element;
  return {
    created: Number(text(root, 'c:created')),
    failed: Number(text(root, 'c:failed')),
    indexes: root.find<Element>('c:result', Q).map((r) => Number(text(r, 'c:index'))),
  };
}

describe('a batchId sent again while it is being imported (POST /xml/batches, UpsertCustomers)', () => {
  describe('by another request of this process', () => {
    let server: TestServer;
    let atChunk: (() => Promise<void>) | undefined;

    before(async () => {
      server = await startServer({ CRM_EXCHANGE_STABLE_MS: '0' }, { dropFolder: { chunkSize: 250, afterChunk: () => atChunk?.() } });
    });
    after(async () => { await server.close(); });

    it('answers UNAVAILABLE with Retry-After (/xml 503; SOAP Server/Receiver) and changes nothing; once that import ends, the batch replays', async () => {
      const nightly = batch(Array.from({ length: 600 }, (_, i) => good(`NIGHT-${i + 1}`)), 'nightly-7');
      const inbox = path.join(server.config.exchangeDir ?? '', 'inbox');
      fs.writeFileSync(path.join(inbox, 'nightly.xml'), nightly);
      const dropFolder = server.dropFolder;
      if (dropFolder === undefined) throw new Error('no drop folder');
      await dropFolder.poll();
      const held = holdAfterFirstChunk();
      atChunk = held.afterChunk;
      const polling = dropFolder.poll();
      try {
        // The drop folder has stored a chunk of the file's batch and waits before the next.
        await held.reached;
        const answer = await postBatch(server.url, batch([good('EXTRA-XML')], 'nightly-7'));
        const { message } = expectServiceFault(answer, 503, 'UNAVAILABLE');
        expect(message).to.contain("batchId 'nightly-7'");
        retryAfterOf(answer.headers);
        for (const v of VERSIONS) {
          const fault = await upsert(server.soapUrl, v, 'nightly-7', `EXTRA-SOAP-${v}`);
          expectFault(fault, v, 'UNAVAILABLE', 'Server');
          retryAfterOf(fault.headers);
        }
        for (const externalId of ['EXTRA-XML', 'EXTRA-SOAP-1.1', 'EXTRA-SOAP-1.2']) {
          expect(await customerByExternalId(server.store, externalId), externalId).to.equal(undefined);
        }
      } finally {
        held.release();
      }
      expect((await polling).get('nightly.xml')).to.equal('imported');
      // Done now: the same body replays the first report, as any finished batchId does.
      const replay = reportOf(await postBatch(server.url, nightly));
      expect(replay).to.include({ created: 600, failed: 0 });
      // And once done, a request that was refused may be sent again: a replay for the same body, refused for another.
      const other = faultOf(await upsert(server.soapUrl, '1.2', 'nightly-7', 'EXTRA-SOAP-1.2'));
      expect(other.code).to.equal('VALIDATION_FAILED');
    });
  });

  describe('after a restart given the same process id', () => {
    let server: TestServer;
    before(async () => { server = await startServer(); });
    after(async () => { await server.close(); });

    it('resumes at once the batch recorded under this process\'s id that this process does not import, each record stored once', async () => {
      const records = Array.from({ length: 9 }, (_, i) => good(`SAME-PID-${i + 1}`));
      // What the process that had this id before left: its batch begun and its first 4 records stored, under a lease that still runs.
      const now = new Date().toISOString();
      let ids = 0;
      await beginBatch(server.store, 'left-behind', now, 'PARTIAL', { host: os.hostname(), pid: process.pid }, 'same-pid-1');
      await storeChunk(server.store, 'left-behind', [1, 2, 3, 4].map((index) => ({
        index,
        input: { externalId: `SAME-PID-${index}`, type: 'PERSON' as const, name: `P SAME-PID-${index}`, addresses: [{ type: 'BILLING' as const, line1: 'l', city: 'c', country: 'DE' }] },
      })), { now, newId: () => `left-${++ids}`, by: TEST_BY }, undefined);
      const report = reportOf(await postBatch(server.url, batch(records, 'same-pid-1')));
      expect(report).to.include({ created: 9, failed: 0 });
      expect(report.indexes).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      for (let i = 1; i <= 9; i++) expect(await customerByExternalId(server.store, `SAME-PID-${i}`), `SAME-PID-${i}`).to.not.equal(undefined);
      expect(server.db.prepare("SELECT count(*) FROM customers WHERE external_id LIKE 'SAME-PID-%'").pluck().get()).to.equal(9);
      expect(server.db.prepare("SELECT count(*) FROM change_log WHERE kind = 'CREATED' AND customer_id LIKE 'left-%'").pluck().get()).to.equal(4);
    });
  });

  describe('by a crm-bridge server killed with kill -9 part-way, then restarted', function () {
    this.timeout(180_000);
    const RECORDS = 20_000;

    it('answers UNAVAILABLE on another instance while it runs; after the kill the same batch answers 200 at once, every record stored once', async () => {
      const dataDir = tempDir('crm-batch-holder-');
      const dbFile = path.join(dataDir, 'crm.db');
      const body = batch(Array.from({ length: RECORDS }, (_, i) => good(`KILL-${i + 1}`)), 'crash-7');
      const { stored, leaseUntil } = batchOnDisk(dbFile, 'crash-7');

      const first = await serve(dataDir);
      // Another instance on the same data folder (this test's process), warmed up before the import starts.
      const other = await startServer({ CRM_DATA_DIR: dataDir, CRM_EXCHANGE: 'off' });
      try {
        reportOf(await postBatch(other.url, batch([good('WARM-UP')], 'warm-up')));
        const importing = postBatch(first.url, body).catch((err: unknown) => err);
        await until('the first chunk to commit', () => (stored() > 0 ? true : undefined), 60_000);

        // While the first server imports it: a live holder, on /xml and on SOAP, and nothing changes.
        const busy = await postBatch(other.url, batch([good('KILL-EXTRA')], 'crash-7'));
        expectServiceFault(busy, 503, 'UNAVAILABLE');
        retryAfterOf(busy.headers);
        for (const v of VERSIONS) {
          const fault = await upsert(other.soapUrl, v, 'crash-7', `KILL-EXTRA-${v}`);
          expectFault(fault, v, 'UNAVAILABLE', 'Server');
          retryAfterOf(fault.headers);
        }
        expect(await customerByExternalId(other.store, 'KILL-EXTRA')).to.equal(undefined);

        await until('a few chunks to commit', () => (stored() >= 1000 ? true : undefined), 60_000);
        await stop(first, 'SIGKILL');
        expect(await importing).to.be.instanceOf(Error);
        const afterKill = stored();
        expect(afterKill, 'killed before the end').to.be.within(1000, RECORDS - 1);
        const killedLease = leaseUntil();

        const restarted = await serve(dataDir);
        try {
          const report = reportOf(await postBatch(restarted.url, body));
          // Answered while the dead server's lease still ran: nothing waited for it.
          expect(Date.now(), 'answered before the killed server\'s lease ran out').to.be.lessThan(killedLease);
          expect(report).to.include({ created: RECORDS, failed: 0 });
          expect(report.indexes).to.have.length(RECORDS);
          expect(new Set(report.indexes).size).to.equal(RECORDS);
        } finally {
          await stop(restarted, 'SIGTERM');
        }
      } finally {
        await stop(first, 'SIGKILL');
        await other.close();
      }
      expectCreatedOnce(dbFile, 'crash-7', 'KILL-', RECORDS);
    });
  });
});
