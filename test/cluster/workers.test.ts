// crm-bridge serve with CRM_WORKERS=2, as an operator runs it: a real primary
// process and its two workers on one port and one SQLite file, judged by what
// clients see (every acknowledged write stored once, GetChanges in order,
// /metrics counting for all) and by the processes themselves.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import type { Element } from 'libxmljs2';
import { call, payloadOf, text } from '../helpers/soap-client.js';
import { minimalCustomer } from '../helpers/customers.js';
import { record } from '../helpers/batch.js';
import { tempDir } from '../helpers/temp-dir.js';
import { thisProcess } from '../../src/this-process.js';
import { NS } from '../../src/xml/namespaces.js';

const MAIN = path.resolve('dist/src/main.js');
const Q = { c: NS.crm };

interface Cluster {
  readonly primary: ChildProcess;
  readonly url: string;
  readonly soapUrl: string;
  /** Pids of the workers that have said they listen, in that order. */
  readonly listening: number[];
  /** Resolves with the pid of the next worker to say it listens. */
  nextListening(): Promise<number>;
  readonly exited: Promise<number | null>;
}

/** crm-bridge serve with CRM_WORKERS=2; or, with `foreign`, crm-bridge run as the one worker of another cluster primary, as PM2's cluster mode runs it. */
async function startCluster(foreign?: { workers: number }): Promise<Cluster> {
  const args = foreign === undefined ? [MAIN, 'serve'] : ['-e', `const cluster = require('node:cluster');
    cluster.setupPrimary({ exec: ${JSON.stringify(MAIN)}, args: ['serve'], execArgv: [] });
    cluster.fork();
    process.on('SIGTERM', () => { for (const w of Object.values(cluster.workers)) w.process.kill('SIGTERM'); });`];
  const primary = spawn(process.execPath, args, {
    env: { ...process.env, CRM_WORKERS: String(foreign?.workers ?? 2), CRM_PORT: '0', CRM_DATA_DIR: tempDir('crm-cluster-'), CRM_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
  const listening: number[] = [];
  const waiters: ((pid: number) => void)[] = [];
  let url = '';
  readline.createInterface({ input: primary.stdout! }).on('line', (line) => {
    const fields = JSON.parse(line) as { msg?: string; url?: string; pid?: number };
    if (fields.msg !== 'crm-bridge listening') return;
    url = fields.url ?? url;
    listening.push(fields.pid ?? 0);
    waiters.shift()?.(fields.pid ?? 0);
  });
  const nextListening = (): Promise<number> => new Promise((resolve) => waiters.push(resolve));
  await Promise.all(foreign === undefined ? [nextListening(), nextListening()] : [nextListening()]);
  return { primary, url, soapUrl: `${url}/soap/CustomerService`, listening, nextListening, exited };
}

/** A GET on a connection of its own: the primary hands each new connection to the next worker. */
function getFresh(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

function counted(metrics: string, operation: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith('crm_requests_total{') && l.includes(`operation="${operation}"`) && l.includes('outcome="OK"'));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

const alive = thisProcess().isRunning;

describe('crm-bridge serve with CRM_WORKERS=2', function () {
  this.timeout(30000);
  let cluster: Cluster;
  beforeEach(async () => { cluster = await startCluster(); });
  afterEach(async () => {
    if (cluster.primary.exitCode === null) cluster.primary.kill('SIGTERM');
    await cluster.exited;
  });

  it('serves one port and one database from two worker processes', async () => {
    expect(new Set(cluster.listening).size).to.equal(2);
    expect(cluster.listening).to.not.include(cluster.primary.pid);
    for (let i = 0; i < 4; i++) expect((await getFresh(`${cluster.url}/health`)).status).to.equal(200);
  });

  it('stores every acknowledged concurrent write once, and GetChanges lists each once, in order', async () => {
    const created = await Promise.all(Array.from({ length: 120 }, async (_, i) =>
      text(payloadOf(await call(cluster.soapUrl, '1.1', 'CreateCustomer', minimalCustomer(`Cluster ${i}`))), 'c:customer/c:id') ?? ''));
    const upserted = payloadOf(await call(cluster.soapUrl, '1.1', 'UpsertCustomers', Array.from({ length: 30 }, (_, i) => record(`CL-${i}`)).join('')));
    expect(upserted.find<Element>('c:result/c:status', Q).map((s) => s.text())).to.deep.equal(Array(30).fill('CREATED'));
    const seen: string[] = [];
    let since = '';
    for (;;) {
      const page = payloadOf(await call(cluster.soapUrl, '1.2', 'GetChanges', `<c:since>${since}</c:since><c:limit>40</c:limit>`));
      const ids = page.find<Element>('c:customer/c:id', Q).map((e) => e.text());
      if (ids.length === 0) break;
      seen.push(...ids);
      since = text(page, 'c:nextSince') ?? '';
    }
    expect(seen).to.have.length(150);
    expect(new Set(seen).size).to.equal(150);
    expect(seen.slice(0, 120).sort()).to.deep.equal([...created].sort());
  });

  it('answers /metrics for both workers, whichever of them is asked', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => call(cluster.soapUrl, '1.1', 'CreateCustomer', minimalCustomer(`Metric ${i}`))));
    for (let i = 0; i < 4; i++) {
      const scrape = await getFresh(`${cluster.url}/metrics`);
      expect(scrape.status).to.equal(200);
      expect(counted(scrape.body, 'CreateCustomer'), scrape.body).to.equal(40);
      // Every write transaction of either worker waited for its turn, and says how long: at least one a group.
      const turns = Number(/^crm_store_write_turn_wait_seconds_count (\d+)$/m.exec(scrape.body)?.[1]);
      expect(turns, scrape.body).to.be.within(1, 40);
      // The drop folder's figures come from the store: once, not once per worker.
      expect(scrape.body).to.match(/^crm_exchange_watching 1$/m);
    }
  });

  it('replaces a worker that dies, and serves on with the new one', async () => {
    const [victim] = cluster.listening;
    const replaced = cluster.nextListening();
    process.kill(victim ?? 0, 'SIGKILL');
    const successor = await replaced;
    expect(successor).to.not.equal(victim);
    expect(alive(successor)).to.equal(true);
    for (let i = 0; i < 4; i++) expect((await getFresh(`${cluster.url}/health`)).status).to.equal(200);
    const id = text(payloadOf(await call(cluster.soapUrl, '1.1', 'CreateCustomer', minimalCustomer('After the crash'))), 'c:customer/c:id');
    expect(id).to.be.a('string');
  });

  it('stops its workers when the primary itself is killed', async () => {
    const workers = [...cluster.listening];
    cluster.primary.kill('SIGKILL');
    await cluster.exited;
    // Another process's exit cannot be awaited as an event: poll, briefly.
    for (const deadline = Date.now() + 10_000; workers.some(alive) && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(workers.filter(alive)).to.deep.equal([]);
  });

  it('stops every worker on SIGTERM, and exits 0', async () => {
    const workers = [...cluster.listening];
    cluster.primary.kill('SIGTERM');
    expect(await cluster.exited).to.equal(0);
    expect(workers.filter(alive)).to.deep.equal([]);
  });
});

describe('crm-bridge serve as a worker of another cluster primary (PM2 in cluster mode)', function () {
  this.timeout(30000);

  it('writes without waiting for turns no one grants, and ignores CRM_WORKERS', async () => {
    const cluster = await startCluster({ workers: 2 });
    try {
      expect(cluster.listening).to.have.length(1);
      const id = text(payloadOf(await call(cluster.soapUrl, '1.1', 'CreateCustomer', minimalCustomer('Under PM2'))), 'c:customer/c:id');
      expect(id).to.be.a('string');
    } finally {
      cluster.primary.kill('SIGTERM');
      await cluster.exited;
    }
  });
});
