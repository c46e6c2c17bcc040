// POST /api/batches (contract v1.1, JSON over HTTP): a JSON batch
// {"batchId","mode","customers":[...]} streamed, with the XML batch's
// guarantees: every record checked as POST /api/customers checks a body,
// PARTIAL and ATOMIC, batchId replay by content, a body that is not JSON
// anywhere stores nothing, resume after a crash, the same outcomes as the
// same batch on /xml/batches. Real HTTP, real SQLite.
import { expect } from 'chai';
import os from 'node:os';
import path from 'node:path';
import type { Element } from 'libxmljs2';
import { storeChunk } from '../../src/operations/batch-writes.js';
import { NS } from '../../src/xml/namespaces.js';
import { basic, serverWithUsers } from '../helpers/auth.js';
import { batchOnDisk, expectCreatedOnce } from '../helpers/batch-on-disk.js';
import { call, expectError, type JsonAnswer, type JsonError } from '../helpers/json-client.js';
import { retryAfterOf } from '../helpers/retry-after.js';
import { serve, stop } from '../helpers/serve-process.js';
import { text } from '../helpers/soap-client.js';
import { beginBatch, customerByExternalId, TEST_BY } from '../helpers/store.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { until } from '../helpers/until.js';
import { request } from '../helpers/xml-client.js';
import { streamedBody } from '../helpers/streamed-body.js';

interface Result { index: number; externalId?: string; id?: string; status: string; error?: { code: string; message: string; errors: { path: string; message: string }[] } }
interface Report { batchId?: string; created: number; updated: number; unchanged: number; failed: number; results: Result[] }

const person = (ext: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  externalId: ext, type: 'PERSON', name: `P ${ext}`, addresses: [{ type: 'BILLING', line1: 'Road 1', city: 'Town', country: 'DE' }], ...extra,
});

/** Posts `body` in small pieces, as a client streaming a big file would. */
async function post(url: string, body: string | object, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const stream = streamedBody(typeof body === 'string' ? body : JSON.stringify(body));
  const res = await fetch(`${url}/api/batches`, { method: 'POST', body: stream, headers: { 'content-type': 'application/json', ...headers }, duplex: 'half' } as RequestInit);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

function reportOf(answer: JsonAnswer): Report {
  expect(answer.status, answer.text.slice(0, 2000)).to.equal(200);
  expect(answer.headers.get('content-type')).to.equal('application/json; charset=utf-8');
  return answer.body as unknown as Report;
}

function count(server: TestServer, like: string): number {
  return server.db.prepare('SELECT count(*) FROM customers WHERE external_id LIKE ?').pluck().get(like) as number;
}

describe('POST /api/batches', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  it('creates, updates and leaves unchanged record by record, reporting each in input order with index from 1', async () => {
    const first = reportOf(await post(server.url, { customers: [person('J-1'), person('J-2')] }));
    expect(first).to.include({ created: 2, updated: 0, unchanged: 0, failed: 0 });
    expect(first).to.not.have.property('batchId');
    const again = reportOf(await post(server.url, { mode: 'PARTIAL', customers: [person('J-1'), person('J-2', { name: 'P J-2 renamed' }), person('J-3')] }));
    expect(again).to.include({ created: 1, updated: 1, unchanged: 1, failed: 0 });
    expect(again.results.map((r) => [r.index, r.externalId, r.status])).to.deep.equal([[1, 'J-1', 'UNCHANGED'], [2, 'J-2', 'UPDATED'], [3, 'J-3', 'CREATED']]);
    const stored = await customerByExternalId(server.store, 'J-2');
    expect(stored?.name).to.equal('P J-2 renamed');
    expect(again.results[1]?.id).to.equal(stored?.id);
  });

  it('PARTIAL: a record that breaks a rule fails alone, with JSON Pointers relative to it; the others are stored', async () => {
    const records = [
      person('P-1'),
      person('P-2', { addresses: [{ type: 'BILLING', line1: 'Road 1', city: 'Town', country: 'de' }] }),
      person('P-3', { fax: '123', phone: null, contacts: [] }),
      person('P-4'),
    ];
    const body = JSON.stringify({ batchId: 'partial-1', customers: records }).replace('"name":"P P-4"', '"name":"P P-4","name":"again"');
    const report = reportOf(await post(server.url, body));
    expect(report).to.include({ batchId: 'partial-1', created: 1, failed: 3 });
    const [one, two, three, four] = report.results;
    expect(one?.status).to.equal('CREATED');
    expect(two?.error?.code).to.equal('VALIDATION_FAILED');
    expect(two?.externalId).to.equal('P-2');
    expect(two?.error?.errors.map((e) => e.path)).to.deep.equal(['/addresses/0/country']);
    expect(two?.error?.message).to.match(/^\/addresses\/0\/country: /);
    expect(three?.error?.errors.map((e) => e.path)).to.deep.equal(['/fax']);
    expect(four?.error?.errors.map((e) => e.path)).to.deep.equal(['/name']);
    expect(four?.error?.message).to.contain('repeated');
    expect(count(server, 'P-%')).to.equal(1);
  });

  it('fails a record of 50,000 contacts or 50,000 unknown members alone, as quickly as any other (the fuzzer\'s batch that took minutes)', async () => {
    const wide = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`x${i}`, 1]));
    const records = [person('W-1'), person('W-2', { contacts: Array.from({ length: 50_000 }, () => ({})) }), { ...person('W-3'), ...wide }, person('W-4')];
    const report = reportOf(await post(server.url, { batchId: 'wide-1', customers: records }));
    expect(report).to.include({ created: 2, failed: 2 });
    expect(report.results[1]?.error?.errors[0]?.path).to.equal('/contacts');
    expect(report.results[2]?.error?.errors[0]?.path).to.equal('/x0');
    expect(count(server, 'W-%')).to.equal(2);
  });

  it('ATOMIC: one bad record stores nothing; it keeps its error, the others say ROLLED_BACK', async () => {
    const report = reportOf(await post(server.url, { mode: 'ATOMIC', customers: [person('A-1'), person('A-2', { type: 'ROBOT' }), person('A-3')] }));
    expect(report).to.include({ created: 0, failed: 3 });
    expect(report.results.map((r) => r.error?.code)).to.deep.equal(['ROLLED_BACK', 'VALIDATION_FAILED', 'ROLLED_BACK']);
    expect(report.results[1]?.error?.errors.map((e) => e.path)).to.deep.equal(['/type']);
    expect(report.results[0]?.error?.errors).to.deep.equal([]);
    expect(count(server, 'A-%')).to.equal(0);
    const good = reportOf(await post(server.url, { mode: 'ATOMIC', customers: [person('A-1'), person('A-3')] }));
    expect(good).to.include({ created: 2, failed: 0 });
  });

  it('replays the first report for the same batchId and the same content in another member order and spacing; other content is refused', async () => {
    const body = { batchId: 'replay-1', mode: 'PARTIAL', customers: [person('R-1'), person('R-2', { email: 'bad' })] };
    const first = reportOf(await post(server.url, body));
    expect(first).to.include({ created: 1, failed: 1 });
    const reordered = `{\n  "batchId" : "replay-1",\n  "mode":"PARTIAL",\n  "customers": [\n${body.customers.map((c) => JSON.stringify(Object.fromEntries(Object.entries(c).reverse()), null, 3)).join(' ,\n')}\n]\n}\n`;
    const replayed = reportOf(await post(server.url, reordered));
    expect(replayed).to.deep.equal(first);
    expect(count(server, 'R-%')).to.equal(1);
    const other = await post(server.url, { batchId: 'replay-1', customers: [person('R-1'), person('R-3')] });
    expect(expectError(other, 400, 'VALIDATION_FAILED')).to.be.an('array');
    expect(other.body?.['message']).to.contain('other content');
    expect(count(server, 'R-%')).to.equal(1);
  });

  it('a body that stops being JSON at its very end is MALFORMED_JSON with line and column, and stores nothing', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify(person(`M-${i + 1}`)));
    const body = `{"batchId":"malformed-1","customers":[\n${lines.join(',\n')}\n,{"externalId":"M-x" "type":"PERSON"}]}`;
    const errors = expectError(await post(server.url, body), 400, 'MALFORMED_JSON');
    expect(errors[0]).to.include({ line: 3002, column: 22 });
    expect(count(server, 'M-%')).to.equal(0);
    const cut = `{"customers":[\n${lines.slice(0, 2000).join(',\n')}`;
    expectError(await post(server.url, cut), 400, 'MALFORMED_JSON');
    const trailing = `{"customers":[${lines[0] ?? ''}]} {}`;
    expectError(await post(server.url, trailing), 400, 'MALFORMED_JSON');
    const notUtf8 = Buffer.concat([Buffer.from(`{"customers":[${lines[0] ?? ''},{"name":"`), Buffer.from([0xff]), Buffer.from('"}]}')]);
    const answer = await fetch(`${server.url}/api/batches`, { method: 'POST', body: notUtf8, headers: { 'content-type': 'application/json' } });
    expect(answer.status).to.equal(400);
    expect(((await answer.json()) as { code: string }).code).to.equal('MALFORMED_JSON');
    expect(count(server, 'M-%')).to.equal(0);
  });

  it('refuses a batch whose own members break the contract with VALIDATION_FAILED pointers, storing nothing', async () => {
    const unknown = expectError(await post(server.url, { batchId: 'head-1', extra: { a: 1 }, customers: [person('H-1')] }), 400, 'VALIDATION_FAILED');
    expect(unknown.map((e) => e.path)).to.deep.equal(['/extra']);
    const late = expectError(await post(server.url, `{"customers":[${JSON.stringify(person('H-1'))}],"mode":"ATOMIC"}`), 400, 'VALIDATION_FAILED');
    expect(late.map((e) => e.path)).to.deep.equal(['/mode']);
    expect(late[0]).to.include({ line: 1 });
    const mode = expectError(await post(server.url, { mode: 'SOMETIMES', customers: [] }), 400, 'VALIDATION_FAILED');
    expect(mode.map((e) => e.path)).to.deep.equal(['/mode']);
    const notArray = expectError(await post(server.url, { customers: { a: 1 } }), 400, 'VALIDATION_FAILED');
    expect(notArray.map((e) => e.path)).to.deep.equal(['/customers']);
    const twice = expectError(await post(server.url, `{"mode":"PARTIAL","mode":"ATOMIC","customers":[]}`), 400, 'VALIDATION_FAILED');
    expect(twice.map((e: JsonError) => e.path)).to.deep.equal(['/mode']);
    expectError(await post(server.url, [person('H-1')]), 400, 'VALIDATION_FAILED');
    expect(count(server, 'H-%')).to.equal(0);
    // null is absent, an empty batch is a batch
    expect(reportOf(await post(server.url, { batchId: null, mode: null, customers: [] }))).to.include({ created: 0, failed: 0 });
  });

  it('refuses a record over CRM_MAX_RECORD_BYTES characters and nesting over CRM_MAX_DEPTH with PAYLOAD_TOO_LARGE, storing nothing', async () => {
    const small = await startServer({ CRM_MAX_RECORD_BYTES: String(64 * 1024), CRM_MAX_DEPTH: '8' });
    try {
      const big = person('L-2', { name: 'x'.repeat(40 * 1024), vatNumber: 'ü'.repeat(30 * 1024) });
      const errors = expectError(await post(small.url, { customers: [person('L-1'), big] }), 413, 'PAYLOAD_TOO_LARGE');
      expect(errors).to.be.an('array');
      let deep: unknown = 1;
      for (let i = 0; i < 10; i++) deep = [deep];
      expectError(await post(small.url, { customers: [person('L-3'), person('L-4', { deep })] }), 413, 'PAYLOAD_TOO_LARGE');
      expect(count(small, 'L-%')).to.equal(0);
    } finally {
      await small.close();
    }
  });

  it('resumes a batch left part-way by a process with this process id, storing each record once', async () => {
    const now = new Date().toISOString();
    let ids = 0;
    await beginBatch(server.store, 'json-left-behind', now, 'PARTIAL', { host: os.hostname(), pid: process.pid }, 'json-resume-1');
    await storeChunk(server.store, 'json-left-behind', [1, 2, 3].map((index) => ({
      index,
      input: { externalId: `JR-${index}`, type: 'PERSON' as const, name: `P JR-${index}`, addresses: [{ type: 'BILLING' as const, line1: 'Road 1', city: 'Town', country: 'DE' }] },
    })), { now, newId: () => `json-left-${++ids}`, by: TEST_BY }, undefined);
    const report = reportOf(await post(server.url, { batchId: 'json-resume-1', customers: Array.from({ length: 7 }, (_, i) => person(`JR-${i + 1}`)) }));
    expect(report).to.include({ created: 7, failed: 0 });
    expect(report.results.map((r) => r.index)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    expect(count(server, 'JR-%')).to.equal(7);
    expect(server.db.prepare("SELECT count(*) FROM change_log WHERE customer_id LIKE 'json-left-%'").pluck().get()).to.equal(3);
  });

  it('gives each record the same outcome as the same batch sent as XML to /xml/batches', async () => {
    const cases: { json: Record<string, unknown>; xml: string }[] = [
      { json: person('EQ-1'), xml: '<customer><externalId>EQ-1</externalId><type>PERSON</type><name>P EQ-1</name><addresses><address type="BILLING"><line1>Road 1</line1><city>Town</city><country>DE</country></address></addresses></customer>' },
      { json: person('EQ-2', { type: 'ROBOT' }), xml: '<customer><externalId>EQ-2</externalId><type>ROBOT</type><name>P EQ-2</name></customer>' },
      { json: { externalId: 'EQ-3', type: 'ORGANIZATION' }, xml: '<customer><externalId>EQ-3</externalId><type>ORGANIZATION</type></customer>' },
      { json: person('EQ-4', { email: 'no-at-sign' }), xml: '<customer><externalId>EQ-4</externalId><type>PERSON</type><name>P EQ-4</name><email>no-at-sign</email></customer>' },
      { json: person('EQ-1'), xml: '<customer><externalId>EQ-1</externalId><type>PERSON</type><name>P EQ-1</name><addresses><address type="BILLING"><line1>Road 1</line1><city>Town</city><country>DE</country></address></addresses></customer>' },
      { json: person('EQ-5', { name: 'x'.repeat(300) }), xml: `<customer><externalId>EQ-5</externalId><type>PERSON</type><name>${'x'.repeat(300)}</name></customer>` },
    ];
    const outcomes = (results: { status: string; code?: string }[]): string[] => results.map((r) => `${r.status} ${r.code ?? ''}`);
    const viaJson = reportOf(await post(server.url, { customers: cases.map((c) => c.json) }));
    // The same records under other externalIds on /xml: a fresh store would be the same, and these leave the JSON ones be.
    const xmlBody = `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}">${cases.map((c) => c.xml.replaceAll('EQ-', 'EX-')).join('\n')}</CustomerBatch>`;
    const xml = await request(`${server.url}/xml/batches`, { method: 'POST', body: xmlBody, headers: { 'content-type': 'application/xml' } });
    expect(xml.status, xml.text).to.equal(200);
    const xmlResults = (xml.doc?.root() as Element).find<Element>('c:result', { c: NS.crm }).map((r) => ({ status: text(r, 'c:status') ?? '', code: text(r, 'c:error/c:code') }));
    expect(outcomes(viaJson.results.map((r) => ({ status: r.status, code: r.error?.code })))).to.deep.equal(outcomes(xmlResults));
    expect(outcomes(xmlResults)).to.deep.equal(['CREATED ', 'FAILED VALIDATION_FAILED', 'FAILED VALIDATION_FAILED', 'FAILED VALIDATION_FAILED', 'UNCHANGED ', 'FAILED VALIDATION_FAILED']);
  });

  it('answers 415 for another media type, and 405 for another method', async () => {
    const res = await fetch(`${server.url}/api/batches`, { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } });
    expect(res.status).to.equal(415);
    const get = await fetch(`${server.url}/api/batches`);
    expect(get.status).to.equal(405);
    expect(get.headers.get('allow')).to.equal('POST');
  });
});

// The twin of the /xml kill -9 test (test/import/batch-holder.test.ts), on
// /api: a crm-bridge server of its own process, killed part-way through a
// big JSON batch; another instance on the same SQLite file meanwhile.
describe('POST /api/batches to a crm-bridge server killed with kill -9 part-way, then restarted', function () {
  this.timeout(180_000);
  const RECORDS = 20_000;
  const BATCH_ID = 'json-crash-7';

  it('answers UNAVAILABLE (503, Retry-After, a JSON error) on another instance while it runs; after the kill the same batch answers 200 at once with the full report, every record stored once', async () => {
    const dataDir = tempDir('crm-api-batch-kill-');
    const dbFile = path.join(dataDir, 'crm.db');
    const customers = Array.from({ length: RECORDS }, (_, i) => person(`JKILL-${i + 1}`));
    const body = JSON.stringify({ batchId: BATCH_ID, customers });
    const { stored, leaseUntil } = batchOnDisk(dbFile, BATCH_ID);

    const first = await serve(dataDir);
    // Another instance on the same data folder (this test's process), warmed up before the import starts.
    const other = await startServer({ CRM_DATA_DIR: dataDir, CRM_EXCHANGE: 'off' });
    try {
      reportOf(await post(other.url, { batchId: 'json-warm-up', customers: [person('JWARM-UP')] }));
      const importing = post(first.url, body).catch((err: unknown) => err);
      await until('the first chunk to commit', () => (stored() > 0 ? true : undefined), 60_000);

      // While the first server imports it: a live holder, and nothing changes.
      const busy = await call(`${other.url}/api/batches`, 'POST', { batchId: BATCH_ID, customers: [person('JKILL-EXTRA')] });
      expect(expectError(busy, 503, 'UNAVAILABLE')).to.deep.equal([]);
      expect(busy.body?.['message']).to.contain(`batchId '${BATCH_ID}'`);
      retryAfterOf(busy.headers);
      const extra = await call(`${other.url}/api/customers?externalId=JKILL-EXTRA`, 'GET');
      expect(extra.body).to.include({ total: 0 });

      await until('a few chunks to commit', () => (stored() >= 1000 ? true : undefined), 60_000);
      await stop(first, 'SIGKILL');
      expect(await importing).to.be.instanceOf(Error);
      expect(stored(), 'killed before the end').to.be.within(1000, RECORDS - 1);
      const killedLease = leaseUntil();

      const restarted = await serve(dataDir);
      try {
        const report = reportOf(await post(restarted.url, body));
        // Answered while the dead server's lease still ran: nothing waited for it.
        expect(Date.now(), 'answered before the killed server\'s lease ran out').to.be.lessThan(killedLease);
        expect(report).to.include({ batchId: BATCH_ID, created: RECORDS, updated: 0, unchanged: 0, failed: 0 });
        expect(report.results).to.have.length(RECORDS);
        const wrong = report.results.filter((r, i) => r.index !== i + 1 || r.externalId !== `JKILL-${i + 1}` || r.status !== 'CREATED' || r.id === undefined);
        expect(wrong.slice(0, 3), 'results not CREATED in input order').to.deep.equal([]);
        // Done now: sent once more, the same body replays that report (the resumed run's fingerprint covers every record).
        expect(reportOf(await post(restarted.url, body))).to.deep.equal(report);
        const exported = await call(`${restarted.url}/api/export`, 'GET');
        const ids = (exported.body?.['customers'] as { externalId?: string }[]).map((c) => c.externalId ?? '').filter((id) => id.startsWith('JKILL-'));
        expect(ids).to.have.length(RECORDS);
        expect(new Set(ids).size).to.equal(RECORDS);
      } finally {
        await stop(restarted, 'SIGTERM');
      }
    } finally {
      await stop(first, 'SIGKILL');
      await other.close();
    }
    expectCreatedOnce(dbFile, BATCH_ID, 'JKILL-', RECORDS);
  });
});

describe('POST /api/batches with authentication on', () => {
  let server: TestServer;
  before(async () => {
    server = await serverWithUsers('crm-api-batch-auth-');
  });
  after(async () => { await server.close(); });

  it('answers 401 without credentials and 403 FORBIDDEN to a reader before reading anything; a writer imports', async () => {
    const body = { customers: [person('AU-1')] };
    const none = await post(server.url, body);
    expectError(none, 401, 'UNAUTHORIZED');
    expect(none.headers.get('www-authenticate')).to.contain('Basic');
    // Refused before the body is read: even one that is not JSON.
    expectError(await post(server.url, '{"customers":[ not json', { authorization: basic('reports', 'reports secret') }), 403, 'FORBIDDEN');
    expectError(await post(server.url, body, { authorization: basic('reports', 'reports secret') }), 403, 'FORBIDDEN');
    expect(count(server, 'AU-%')).to.equal(0);
    const report = reportOf(await post(server.url, body, { authorization: basic('erp', 'erp secret') }));
    expect(report).to.include({ created: 1 });
    const history = server.db.prepare("SELECT actor, operation FROM customer_history h JOIN customers c ON c.id = h.customer_id WHERE c.external_id = 'AU-1'").all();
    expect(history).to.deep.equal([{ actor: 'erp', operation: 'UPSERT' }]);
  });
});
