// What the HTTP edge allows a client (issue 17, item 8): a cap on requests in
// flight, answered UNAVAILABLE with Retry-After at once while /health and
// /metrics still answer; a client that sends its body too slowly is cut off
// (408, connection closed), headers too; and during shutdown, requests in
// flight finish while new ones get UNAVAILABLE, then the process exits.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { RequestContext } from '../../src/dispatch/request-context.js';
import type { Stage } from '../../src/dispatch/stage.js';
import { NS } from '../../src/xml/namespaces.js';
import { signal } from '../helpers/hold.js';
import { connect, responsesIn } from '../helpers/raw-http.js';
import { envelope, faultOf, postSoap, type Version } from '../helpers/soap-client.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { until } from '../helpers/until.js';
import { customerDoc, expectServiceFault, request, sendXml } from '../helpers/xml-client.js';

const MAIN = path.resolve('dist/src/main.js');

/** Holds every GetCustomer until released (and none after): requests in flight for as long as a test needs. */
class HoldingStage implements Stage {
  held = 0;
  private readonly gate = signal();
  async admit(_context: RequestContext, operation: string): Promise<void> {
    if (operation !== 'GetCustomer') return;
    this.held += 1;
    await this.gate.promise;
  }
  release(): void {
    this.gate.resolve();
  }
}

const createBody = customerDoc('<type>PERSON</type><name>Slow Client</name>');

describe('requests in flight (CRM_MAX_IN_FLIGHT)', () => {
  const stage = new HoldingStage();
  let server: TestServer;
  before(async () => { server = await startServer({ CRM_MAX_IN_FLIGHT: '3' }, { stages: [stage] }); });
  after(async () => { stage.release(); await server.close(); });

  it('beyond the cap answers UNAVAILABLE with Retry-After at once on /xml and SOAP, /health and /metrics still answer, and after release requests succeed', async () => {
    const held = [1, 2, 3].map((i) => request(`${server.url}/xml/customers/held-${i}`));
    await until('three requests held', () => (stage.held === 3 ? true : undefined), 5000);

    const xml = await request(`${server.url}/xml/customers/one-more`);
    expectServiceFault(xml, 503, 'UNAVAILABLE');
    expect(xml.headers.get('retry-after')).to.equal('1');
    for (const version of ['1.1', '1.2'] as Version[]) {
      const soap = await postSoap(server.soapUrl, version, envelope(version, '<c:GetCustomer><c:id>x</c:id></c:GetCustomer>'), { action: `${NS.crm}/GetCustomer` });
      const fault = faultOf(soap);
      expect(fault.code).to.equal('UNAVAILABLE');
      expect(fault.soapCode).to.equal(version === '1.1' ? 'Server' : 'Receiver');
      // SOAP's own status for a Server/Receiver fault (1.1: 500, WS-I R1126; 1.2: 500), as for every SOAP fault.
      expect(soap.status).to.equal(500);
      expect(soap.headers.get('retry-after')).to.equal('1');
    }
    // Without reading the body: the answer comes while the 1 MB it announces was never sent.
    const raw = await connect(server.url);
    await raw.write(`POST /xml/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\nContent-Length: 1000000\r\n\r\n`);
    await until('the refusal', () => (responsesIn(raw.received()).length > 0 ? true : undefined), 2000);
    expect(responsesIn(raw.received())[0]).to.deep.include({ status: 503 });
    expect(responsesIn(raw.received())[0]?.headers).to.include({ 'retry-after': '1', connection: 'close' });
    await raw.closed;

    expect((await fetch(`${server.url}/health`)).status).to.equal(200);
    expect((await fetch(`${server.url}/metrics`)).status).to.equal(200);

    stage.release();
    for (const answer of await Promise.all(held)) expectServiceFault(answer, 404, 'NOT_FOUND');
    expectServiceFault(await request(`${server.url}/xml/customers/after`), 404, 'NOT_FOUND');
    expect((await sendXml(`${server.url}/xml/customers`, 'POST', createBody)).status).to.equal(201);
  });
});

describe('slow clients (CRM_MIN_BODY_RATE, CRM_REQUEST_TIMEOUT_MS)', function () {
  this.timeout(20_000);
  let server: TestServer;
  before(async () => {
    server = await startServer({ CRM_MIN_BODY_RATE: '100', CRM_BODY_RATE_WINDOW_MS: '1000', CRM_REQUEST_TIMEOUT_MS: '2500' });
  });
  after(async () => { await server.close(); });

  it('cuts off a client sending its body one byte a second: 408, connection closed; others are served meanwhile', async () => {
    const slow = await connect(server.url);
    await slow.write(`POST /xml/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(createBody)}\r\n\r\n`);
    const started = Date.now();
    const dribbling = slow.dribble(createBody, 1000);
    expect((await sendXml(`${server.url}/xml/customers`, 'POST', customerDoc('<type>PERSON</type><name>Fast Client</name>'))).status).to.equal(201);
    await slow.closed;
    const elapsed = Date.now() - started;
    expect(elapsed).to.be.within(900, 3000);
    expect(await dribbling).to.be.below(5);
    expect(responsesIn(slow.received()).map((r) => r.status)).to.deep.equal([408]);
    expect(server.logs.some((l) => l['msg'] === 'slow client cut off')).to.equal(true);
  });

  it('cuts off a body that keeps a fair rate but is not complete within CRM_REQUEST_TIMEOUT_MS; a streamed batch (XML or JSON) at that rate is not', async () => {
    const body = customerDoc(`<type>PERSON</type><name>Steady</name>${' '.repeat(2000)}`);
    const steady = await connect(server.url);
    await steady.write(`POST /xml/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    const started = Date.now();
    // ~ 200 bytes a second, in pieces of 20: above the rate, but 2 KB take 10 s.
    const writing = (async () => {
      for (let at = 0; at < body.length && !steady.socket.destroyed; at += 20) {
        steady.socket.write(body.slice(at, at + 20));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await steady.closed;
    expect(Date.now() - started).to.be.within(2400, 4500);
    expect(responsesIn(steady.received()).map((r) => r.status)).to.deep.equal([408]);
    await writing;

    const xmlBatch = `<CustomerBatch xmlns="${NS.crm}">\n${Array.from({ length: 12 }, (_, i) => `<customer><externalId>STEADY-${i}</externalId><type>PERSON</type><name>Steady ${i}</name></customer>\n`).join('')}</CustomerBatch>\n`;
    const jsonBatch = `{"customers": [\n${Array.from({ length: 12 }, (_, i) => `{"externalId": "STEADY-J${i}", "type": "PERSON", "name": "Steady ${i}"}`).join(',\n')}\n]}\n`;
    await Promise.all([['/xml/batches', 'application/xml', xmlBatch], ['/api/batches', 'application/json', jsonBatch]].map(async ([target, type, batch = '']) => {
      const streamed = await connect(server.url);
      await streamed.write(`POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(batch)}\r\n\r\n`);
      const pieces = 30;
      const size = Math.ceil(batch.length / pieces);
      // The whole batch over ~3 s at ~300 bytes a second: longer than CRM_REQUEST_TIMEOUT_MS, above the rate.
      for (let at = 0; at < batch.length; at += size) {
        await streamed.write(batch.slice(at, at + size));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await until(`the report of ${target}`, () => (responsesIn(streamed.received()).length > 0 ? true : undefined), 5000);
      expect(responsesIn(streamed.received())[0]?.status, target).to.equal(200);
      streamed.socket.destroy();
    }));
  });
});

/** crm-bridge serve as a process, on a fresh data folder and any free port. */
async function serveProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    env: { ...process.env, CRM_DATA_DIR: tempDir('crm-edge-'), CRM_PORT: '0', CRM_LOG_LEVEL: 'info', CRM_EXCHANGE: 'off', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const fields = JSON.parse(line) as { msg?: string; url?: string };
      if (fields.msg === 'crm-bridge listening') resolve(fields.url ?? '');
    });
    child.once('exit', () => reject(new Error('serve exited before listening')));
  });
  return { child, url, exited };
}

describe('crm-bridge serve: slow headers and shutdown', function () {
  this.timeout(30_000);

  it('cuts off a client sending its headers one byte at a time past CRM_HEADERS_TIMEOUT_MS (408, closed), and one that sends nothing', async () => {
    const { child, url, exited } = await serveProcess({ CRM_HEADERS_TIMEOUT_MS: '1000' });
    try {
      const slow = await connect(url);
      const silent = await connect(url);
      const started = Date.now();
      const sent = slow.dribble(`GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ${'s'.repeat(100)}\r\n\r\n`, 200);
      await slow.closed;
      expect(Date.now() - started).to.be.within(900, 3500);
      expect(await sent).to.be.below(20);
      expect(slow.received()).to.match(/^HTTP\/1\.1 408/);
      await silent.closed;
      expect(Date.now() - started).to.be.below(3500);
      expect((await fetch(`${url}/health`)).status).to.equal(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('answers headers over 16 KiB with a ServiceFault PAYLOAD_TOO_LARGE (431) and a request that is not HTTP with 400, and serves on', async () => {
    const { child, url, exited } = await serveProcess({});
    try {
      const big = await connect(url);
      await big.write(`GET /xml/customers/x HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
      await big.closed;
      const [answer] = responsesIn(big.received());
      expect(answer?.status, big.received().slice(0, 300)).to.equal(431);
      expect(answer?.headers).to.include({ 'content-type': 'application/xml; charset=utf-8' });
      expect(big.received()).to.contain('<code>PAYLOAD_TOO_LARGE</code>').and.contain('headers');
      const garbage = await connect(url);
      await garbage.write('HELLO THERE\r\n\r\n');
      await garbage.closed;
      expect(garbage.received()).to.match(/^HTTP\/1\.1 400 /);
      expect((await fetch(`${url}/health`)).status).to.equal(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('on SIGTERM finishes the request in flight, answers the next one on that connection UNAVAILABLE with Retry-After, then exits 0', async () => {
    const { child, url, exited } = await serveProcess({});
    const body = Buffer.from(createBody);
    const kept = await connect(url);
    await kept.write(`POST /xml/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\nContent-Length: ${body.length}\r\n\r\n${createBody.slice(0, 40)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The rest of the body in flight, and the next request on the same kept-alive connection.
    await kept.write(`${createBody.slice(40)}GET /xml/customers?name=x HTTP/1.1\r\nHost: x\r\n\r\n`);
    await kept.closed;
    const [created, next] = responsesIn(kept.received());
    expect(created?.status, kept.received()).to.equal(201);
    expect(next?.status, kept.received()).to.equal(503);
    expect(next?.headers).to.include({ 'retry-after': '5', connection: 'close' });
    expect(kept.received()).to.contain('<code>UNAVAILABLE</code>');
    expect(await exited).to.equal(0);
  });
});
