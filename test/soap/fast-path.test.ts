// What the node:http fast path owns (transport/soap-listener.ts): which
// requests it takes, the request id and metrics it keeps as express did, and
// its last resort; and that every other request still reaches express.
import { expect } from 'chai';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { Metrics } from '../../src/metrics.js';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { XsdValidator } from '../../src/validation/xsd-validator.js';
import type { HttpRequestLike, Outcome } from '../../src/transport/http-reply.js';
import { soapExchange, soapFastPath, type SoapHandler } from '../../src/transport/soap-listener.js';
import { SoapEndpoint } from '../../src/transport/soap-endpoint.js';
import { call, envelope, expectFault, payloadOf, postSoap, text, VERSIONS } from '../helpers/soap-client.js';
import { minimalCustomer } from '../helpers/customers.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { tempDir } from '../helpers/temp-dir.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GET_NOBODY = (v: '1.1' | '1.2'): string => envelope(v, '<c:GetCustomer><c:id>nobody</c:id></c:GetCustomer>');

describe('SOAP endpoint on node:http (fast path)', () => {
  let server: TestServer;
  let id: string;
  before(async () => {
    server = await startServer();
    const created = await call(server.soapUrl, '1.1', 'CreateCustomer', minimalCustomer());
    id = text(payloadOf(created), 'c:customer/c:id') ?? '';
  });
  after(async () => { await server.close(); });

  describe('X-Request-Id', () => {
    it('echoes a plausible request id on a SOAP answer', async () => {
      const answer = await fetch(server.soapUrl, {
        method: 'POST',
        headers: { 'content-type': 'text/xml', 'x-request-id': 'erp-4711.a:b' },
        body: GET_NOBODY('1.1'),
      });
      expect(answer.headers.get('x-request-id')).to.equal('erp-4711.a:b');
    });

    it('answers a fresh id instead of an implausible one', async () => {
      const answer = await fetch(server.soapUrl, { method: 'POST', headers: { 'content-type': 'text/xml', 'x-request-id': 'no spaces <allowed>' }, body: GET_NOBODY('1.1') });
      expect(answer.headers.get('x-request-id')).to.match(UUID);
    });
  });

  describe('which requests it serves', () => {
    it('serves a SOAP POST with a query string', async () => {
      const answer = await call(`${server.soapUrl}?client=erp`, '1.2', 'GetCustomer', `<c:id>${id}</c:id>`);
      expect(answer.status).to.equal(200);
      expect(text(payloadOf(answer), 'c:customer/c:id')).to.equal(id);
    });

    it('still answers the path with a trailing slash or in another letter case (through express), the same way', async () => {
      for (const url of [`${server.soapUrl}/`, `${server.url}/SOAP/customerservice`]) {
        const answer = await call(url, '1.1', 'GetCustomer', `<c:id>${id}</c:id>`);
        expect(answer.status, url).to.equal(200);
        expect(answer.text, url).to.contain(id);
        expectFault(await postSoap(url, '1.1', GET_NOBODY('1.1')), '1.1', 'NOT_FOUND');
      }
    });

    it('leaves GET and HEAD of the WSDL to express', async () => {
      const get = await fetch(`${server.soapUrl}?wsdl`);
      expect(get.status).to.equal(200);
      expect(await get.text()).to.contain('wsdl:definitions');
      const head = await fetch(`${server.soapUrl}?wsdl`, { method: 'HEAD' });
      expect(head.status).to.equal(200);
      expect(head.headers.get('content-type')).to.contain('text/xml');
      expect(head.headers.get('x-request-id')).to.match(UUID);
    });

    it('leaves other methods to express: 405 with Allow', async () => {
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const res = await fetch(`${server.soapUrl}?x=1`, { method });
        expect(res.status, method).to.equal(405);
        expect(res.headers.get('allow'), method).to.equal('GET, POST');
      }
    });

    it('counts its requests in crm_requests_total and the duration histogram', async () => {
      await call(server.soapUrl, '1.1', 'GetCustomer', `<c:id>${id}</c:id>`);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).to.match(/crm_requests_total\{channel="soap",operation="GetCustomer",outcome="OK"\} [1-9]/);
      expect(metrics).to.match(/crm_request_duration_seconds_count\{channel="soap",operation="GetCustomer"\} [1-9]/);
    });
  });

  describe('an exception inside an operation', () => {
    for (const v of VERSIONS) {
      it(`answers INTERNAL (${v}) quoting the request id, logs it, and keeps serving`, async () => {
        const store = server.store;
        const original = store.read.bind(store);
        // Thrown synchronously, not as a rejection: the worst case for an async pipeline.
        store.read = () => { throw new TypeError('secret detail'); };
        try {
          const answer = await postSoap(server.soapUrl, v, envelope(v, `<c:GetCustomer><c:id>${id}</c:id></c:GetCustomer>`), { headers: { 'x-request-id': `boom-${v}` } });
          const f = expectFault(answer, v, 'INTERNAL', 'Server');
          expect(f.message).to.contain(`boom-${v}`);
          expect(answer.text).to.not.contain('secret detail');
          expect(server.logs.some((l) => l['requestId'] === `boom-${v}`)).to.equal(true);
        } finally {
          store.read = original;
        }
        expect((await call(server.soapUrl, v, 'GetCustomer', `<c:id>${id}</c:id>`)).status).to.equal(200);
      });
    }
  });
});

describe('SOAP fast path: last resort', () => {
  const logged: { requestId?: string }[] = [];
  const log = { error: (obj: object): void => { logged.push(obj); } };
  let server: Server;
  let store: SqliteStore;
  let url: string;
  let endpoint: SoapEndpoint;
  /** What the fast path calls; each test makes it fail its own way. */
  let handler: SoapHandler;

  before(async () => {
    const dir = tempDir('crm-bridge-test-');
    store = new SqliteStore(openDatabase(path.join(dir, 'crm.db')));
    const deps = { store, now: () => new Date().toISOString(), newId: () => 'unused' };
    endpoint = new SoapEndpoint(new Dispatcher(new XsdValidator(), deps), 1024, log);
    const current: SoapHandler = { handle: (r) => handler.handle(r), faultOutcome: (r, e) => handler.faultOutcome(r, e) };
    const fallback: RequestListener = (_req, res) => { res.statusCode = 418; res.end(); };
    server = createServer(soapFastPath(soapExchange(current, new Metrics(false), log), fallback));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/soap/CustomerService`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  });

  /** handle() rejects the way no pipeline stage ever should (outside its own try); the real endpoint renders the fault. */
  const escaping = (): SoapHandler => ({
    handle: (req: HttpRequestLike): Promise<Outcome> => Promise.reject(new RangeError(`escaped for ${req.requestId}`)),
    faultOutcome: (req, err) => endpoint.faultOutcome(req, err),
  });

  for (const v of VERSIONS) {
    it(`turns an error that escaped the endpoint into an INTERNAL fault (${v}), and the server stays up`, async () => {
      handler = escaping();
      const answer = await postSoap(url, v, GET_NOBODY(v), { headers: { 'x-request-id': `escaped-${v}` } });
      const f = expectFault(answer, v, 'INTERNAL', 'Server');
      expect(f.message).to.contain(`escaped-${v}`);
      expect(answer.text).to.not.contain('RangeError');
      expect(logged.some((l) => l.requestId === `escaped-${v}`)).to.equal(true);
    });
  }

  it('closes the connection when even the fault cannot be written, and keeps serving', async () => {
    handler = { handle: () => Promise.reject(new Error('first')), faultOutcome: () => { throw new Error('second'); } };
    const first = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<x/>' }).then(() => 'answered', () => 'closed');
    expect(first).to.equal('closed');
    handler = escaping();
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<x/>' })).status).to.equal(500);
  });

  it('hands every other request to the fallback', async () => {
    expect((await fetch(url)).status).to.equal(418);
    expect((await fetch(`${url}Other`, { method: 'POST' })).status).to.equal(418);
    expect((await fetch(url.replace('/soap/', '/SOAP/'), { method: 'POST' })).status).to.equal(418);
  });
});
