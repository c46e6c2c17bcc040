import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { Element } from 'libxmljs2';
import { call, payloadOf, text } from '../helpers/soap-client.js';
import { expectServiceFault, request, type XmlAnswer } from '../helpers/xml-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { HUGE_RECORD_BOUND, HUGE_TEXT_BOUND, SMALL_HEAP_MB, writeBatchWithHugeRecord } from '../helpers/huge-record.js';
import { tempDir } from '../helpers/temp-dir.js';
import { NS } from '../../src/xml/namespaces.js';
import { customerByExternalId } from '../helpers/store.js';
import { streamedBody } from '../helpers/streamed-body.js';

const Q = { c: NS.crm };

function customer(externalId: string, extra = ''): string {
  return `<customer><externalId>${externalId}</externalId><type>ORGANIZATION</type><name>Firm ${externalId}</name>${extra}</customer>`;
}

function batch(records: readonly string[], attributes = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}"${attributes}>\n${records.join('\n')}\n</CustomerBatch>\n`;
}

/** Posts `body` as a chunked stream of small pieces, as a client streaming a big file would. */
function postStreamed(url: string, body: string, contentType = 'application/xml'): Promise<XmlAnswer> {
  return request(url, { method: 'POST', body: streamedBody(body), headers: { 'content-type': contentType }, duplex: 'half' } as RequestInit);
}

interface Report { created: number; updated: number; unchanged: number; failed: number; results: { index: number; status: string; code?: string; message?: string; id?: string }[] }

function reportOf(answer: XmlAnswer): Report {
  expect(answer.status, answer.text).to.equal(200);
  const root = answer.doc?.root() as Element;
  expect(root.name()).to.equal('BatchReport');
  return {
    created: Number(text(root, 'c:created')),
    updated: Number(text(root, 'c:updated')),
    unchanged: Number(text(root, 'c:unchanged')),
    failed: Number(text(root, 'c:failed')),
    results: root.find<Element>('c:result', Q).map((r) => ({
      index: Number(text(r, 'c:index')),
      status: text(r, 'c:status') ?? '',
      code: text(r, 'c:error/c:code'),
      message: text(r, 'c:error/c:message'),
      id: text(r, 'c:id'),
    })),
  };
}

describe('/xml/batches and /xml/export', () => {
  let server: TestServer;
  let batches: string;
  before(async () => { server = await startServer(); batches = `${server.url}/xml/batches`; });
  after(async () => { await server.close(); });

  async function total(name: string): Promise<number> {
    return Number(text(payloadOf(await call(server.soapUrl, '1.1', 'SearchCustomers', `<c:name>${name}</c:name>`)), 'c:total'));
  }

  describe('POST /xml/batches', () => {
    it('imports a streamed batch record by record; a schema error fails its record alone, at its line and column in the body', async () => {
      const records = Array.from({ length: 1200 }, (_, i) => customer(`ST-${i + 1}`, i === 999 ? '<email>broken</email>' : ''));
      const report = reportOf(await postStreamed(batches, batch(records)));
      expect(report).to.deep.include({ created: 1199, failed: 1, updated: 0, unchanged: 0 });
      expect(report.results).to.have.length(1200);
      const failed = report.results.find((r) => r.status === 'FAILED');
      expect(failed?.index).to.equal(1000);
      // Record i is on line i + 2 of the body; <email> starts after the name.
      expect(failed?.message).to.match(/^line 1002, column 93: Element '\{urn:crm-bridge:customer:v1\}email': \[facet 'pattern'\]/);
      expect(await total('firm st-')).to.equal(1199);
    });

    it('stops with MALFORMED_XML at its line and column when the body breaks part-way, storing nothing', async () => {
      const body = batch([customer('MF-1'), customer('MF-2'), '<customer><name>unclosed</customer>', customer('MF-4')]).replace('</CustomerBatch>', '');
      const f = expectServiceFault(await postStreamed(batches, body), 400, 'MALFORMED_XML');
      // The third record, on line 5: its </customer> closes <name>, where the break is, not where the body ends.
      expect(f.errors[0]).to.deep.include({ line: 5, column: 25 });
      expect(f.message).to.contain('</customer> does not close <name>');
      expect(await total('firm mf-')).to.equal(0);
    });

    it('fails a record that is not well-formed inside itself as MALFORMED_XML, the others go on', async () => {
      const report = reportOf(await postStreamed(batches, batch([customer('WF-1'), customer('WF-2').replace('Firm', 'Firm &nope;'), customer('WF-3')])));
      expect(report.results.map((r) => [r.status, r.code])).to.deep.equal([['CREATED', undefined], ['FAILED', 'MALFORMED_XML'], ['CREATED', undefined]]);
      expect(report.results[1]?.message).to.match(/^line 4, column \d+: Entity 'nope' not defined/);
    });

    it('refuses a root that fails the schema (an unknown mode) before storing anything', async () => {
      const f = expectServiceFault(await postStreamed(batches, batch([customer('RM-1')], ' mode="SOMETIMES"')), 400, 'VALIDATION_FAILED');
      expect(f.message).to.contain('mode');
      expect(await total('firm rm-')).to.equal(0);
    });

    it('ATOMIC: one failing record stores nothing', async () => {
      const report = reportOf(await postStreamed(batches, batch([customer('AT-1'), customer('AT-2', '<email>x</email>'), customer('AT-3')], ' mode="ATOMIC"')));
      expect(report.results.map((r) => r.code)).to.deep.equal(['ROLLED_BACK', 'VALIDATION_FAILED', 'ROLLED_BACK']);
      expect(await total('firm at-')).to.equal(0);
    });

    it('ATOMIC: a record that is not well-formed inside itself stores nothing; it says MALFORMED_XML, the others ROLLED_BACK', async () => {
      const records = [customer('AM-1'), customer('AM-2').replace('Firm', 'Firm & Sons'), customer('AM-3')];
      const report = reportOf(await postStreamed(batches, batch(records, ' mode="ATOMIC"')));
      expect(report.results.map((r) => [r.status, r.code])).to.deep.equal([['FAILED', 'ROLLED_BACK'], ['FAILED', 'MALFORMED_XML'], ['FAILED', 'ROLLED_BACK']]);
      expect(report.results[1]?.message).to.match(/^line 4, column \d+: /);
      expect(await total('firm am-')).to.equal(0);
    });

    it('replays the first report for the same batchId and body, and refuses other content under it', async () => {
      const records = [customer('RP-1'), customer('RP-2')];
      // The same customers stored earlier through SOAP: the batch finds them UNCHANGED.
      await call(server.soapUrl, '1.1', 'UpsertCustomers', records.join('').replaceAll('<', '<c:').replaceAll('<c:/', '</c:'));
      const first = reportOf(await postStreamed(batches, batch(records, ' batchId="rp-1"')));
      expect(first.created).to.equal(0);
      expect(first.unchanged).to.equal(2);
      const again = reportOf(await postStreamed(batches, batch(records, ' batchId="rp-1"')));
      expect(again).to.deep.equal(first);
      expectServiceFault(await postStreamed(batches, batch([customer('RP-3')], ' batchId="rp-1"')), 400, 'VALIDATION_FAILED');
      expect(await total('firm rp-3')).to.equal(0);
    });

    it('reads records in a worker thread when the body is large enough, with the same report', async () => {
      const threaded = await startServer({ CRM_IMPORT_WORKERS: '1', CRM_IMPORT_WORKER_MIN_BYTES: '0' });
      try {
        const records = Array.from({ length: 1100 }, (_, i) => customer(`WK-${i + 1}`, i % 300 === 7 ? '<email>broken</email>' : ''));
        const report = reportOf(await postStreamed(`${threaded.url}/xml/batches`, batch(records)));
        expect(report).to.deep.include({ created: 1096, failed: 4 });
        expect(report.results.map((r) => r.index)).to.deep.equal(Array.from({ length: 1100 }, (_, i) => i + 1));
        expect(report.results.filter((r) => r.status === 'FAILED').map((r) => r.index)).to.deep.equal([8, 308, 608, 908]);
      } finally {
        await threaded.close();
      }
    });

    it('answers 500 INTERNAL with the request id when the thread reading records dies, saying where it stopped, and keeps serving', async function () {
      this.timeout(60_000);
      const dir = tempDir('crm-batch-crash-');
      const fragile = await startServer({ CRM_IMPORT_WORKERS: '1', CRM_IMPORT_WORKER_MIN_BYTES: '0', CRM_IMPORT_WORKER_HEAP_MB: String(SMALL_HEAP_MB), CRM_MAX_RECORD_BYTES: String(HUGE_RECORD_BOUND), CRM_MAX_TEXT_CHARS: String(HUGE_TEXT_BOUND) });
      try {
        const body = fs.readFileSync(writeBatchWithHugeRecord(path.join(dir, 'huge.xml'), 1500), 'utf8');
        const answer = await postStreamed(`${fragile.url}/xml/batches`, body);
        const { message } = expectServiceFault(answer, 500, 'INTERNAL');
        const requestId = answer.headers.get('x-request-id') ?? '';
        expect(requestId).to.not.equal('');
        expect(message).to.contain('the thread reading records ran out of memory').and.contain('after record 1000 of the batch')
          .and.contain(`quote request id ${requestId}`);
        reportOf(await postStreamed(`${fragile.url}/xml/batches`, batch([customer('AFTER-CRASH')])));
        expect(await customerByExternalId(fragile.store, 'AFTER-CRASH')).to.exist;
      } finally {
        await fragile.close();
      }
    });

    it('answers 415 for another media type and 405 for another method', async () => {
      expectServiceFault(await postStreamed(batches, batch([]), 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      const res = await request(batches);
      expect(res.status).to.equal(405);
      expect(res.headers.get('allow')).to.equal('POST');
    });
  });

  describe('GET /xml/export', () => {
    it('exports every customer as a CustomerBatch that re-imports as UNCHANGED, leaving the store as it was', async () => {
      const isolated = await startServer();
      try {
        await call(isolated.soapUrl, '1.2', 'CreateCustomer', '<c:customer><c:type>PERSON</c:type><c:name>No External Id</c:name><c:phone/><c:contacts/></c:customer>');
        await call(isolated.soapUrl, '1.2', 'UpsertCustomers', Array.from({ length: 450 }, (_, i) =>
          `<c:customer><c:externalId>EX-${i}</c:externalId><c:type>ORGANIZATION</c:type><c:name>Export ${i} &amp; Co</c:name>` +
          `<c:addresses><c:address type="BILLING"><c:line1>Road ${i}</c:line1><c:city>Köln</c:city><c:country>DE</c:country></c:address></c:addresses></c:customer>`).join(''));
        const exported = await request(`${isolated.url}/xml/export`);
        expect(exported.status).to.equal(200);
        expect(exported.doc?.root()?.name()).to.equal('CustomerBatch');
        expect(exported.doc?.find('/c:CustomerBatch/c:customer', Q)).to.have.length(451);
        const cursor = text(payloadOf(await call(isolated.soapUrl, '1.1', 'GetChanges', '<c:since/><c:limit>1000</c:limit>')), 'c:nextSince') ?? '';
        const report = reportOf(await postStreamed(`${isolated.url}/xml/batches`, exported.text));
        expect(report).to.deep.include({ unchanged: 451, created: 0, updated: 0, failed: 0 });
        const changes = payloadOf(await call(isolated.soapUrl, '1.1', 'GetChanges', `<c:since>${cursor}</c:since>`));
        expect(changes.find('c:customer', Q)).to.have.length(0);
        expect((await request(`${isolated.url}/xml/export`)).text).to.equal(exported.text);
      } finally {
        await isolated.close();
      }
    });

    it('exports only customers updated since a time, and refuses a bad updatedSince', async () => {
      expect((await request(`${server.url}/xml/export?updatedSince=2999-01-01T00:00:00Z`)).doc?.find('/c:CustomerBatch/c:customer', Q)).to.have.length(0);
      expect((await request(`${server.url}/xml/export?updatedSince=2000-01-01T00:00:00Z`)).doc?.find('/c:CustomerBatch/c:customer', Q).length).to.be.greaterThan(0);
      expectServiceFault(await request(`${server.url}/xml/export?updatedSince=soon`), 400, 'VALIDATION_FAILED');
      expectServiceFault(await request(`${server.url}/xml/export?limit=3`), 400, 'VALIDATION_FAILED');
    });
  });
});
