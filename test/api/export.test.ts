// GET /api/export (contract v1.1): every customer as a batch without batchId,
// {"customers":[...]}, streamed from the store in bounded memory, each
// customer the very bytes GET /api/customers/{id} answers; the same
// parameter, errors and auth as GET /xml/export, and the same content.
import { expect } from 'chai';
import http from 'node:http';
import libxml from 'libxmljs2';
import type { Element } from 'libxmljs2';
import { AjvJsonValidator } from '../../src/validation/json-validator.js';
import { NS } from '../../src/xml/namespaces.js';
import { basic, serverWithUsers } from '../helpers/auth.js';
import { call, expectError } from '../helpers/json-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { MB, peakRssGrowth } from '../helpers/rss.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Characters JSON must escape (quote, backslash, a control) or may carry as they are (U+2028, U+2029, astral), in one name. */
const AWKWARD_NAME = 'Say "hi" \\ C:\\dir\ttab \u2028line\u2029para 𝄞 😀 東京';

/** `count` customers posted as one XML batch (the quickest way to fill a store), each `filler` characters of address text. */
async function fill(url: string, count: number, prefix: string, filler = 0): Promise<void> {
  const line = 'x'.repeat(Math.min(filler, 200));
  const records: string[] = [];
  for (let i = 0; i < count; i++) {
    records.push(`<customer><externalId>${prefix}-${i}</externalId><type>ORGANIZATION</type><name>Firm ${prefix} ${i}</name>` +
      `<addresses><address type="BILLING"><line1>Road ${i}</line1>${filler > 0 ? `<line2>${line}</line2>` : ''}<city>Town</city><country>DE</country></address></addresses></customer>`);
  }
  const res = await fetch(`${url}/xml/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body: `<CustomerBatch xmlns="${NS.crm}">\n${records.join('\n')}\n</CustomerBatch>`,
  });
  const text = await res.text();
  expect(res.status, text.slice(0, 400)).to.equal(200);
  expect(text).to.contain(`<created>${count}</created>`);
}

/** The export's customer lines: one customer a line between `{"customers":[` and `]}`. */
function customerLines(text: string): string[] {
  const lines = text.split('\n');
  expect(lines[0]).to.equal('{"customers":[');
  expect(lines.at(-2)).to.equal(']}');
  expect(lines.at(-1)).to.equal('');
  return lines.slice(1, -2).map((l, i, all) => (i < all.length - 1 ? l.replace(/,$/, '') : l));
}

/** An exported XML customer as the JSON member names say it (contract v1.1, JSON details): the same fields, for comparison. */
function xmlCustomerAsJson(c: Element): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const child of c.childNodes().filter((n): n is Element => n.type() === 'element')) {
    const name = child.name();
    if (name === 'addresses' || name === 'contacts') {
      out[name] = child.childNodes().filter((n): n is Element => n.type() === 'element').map((item) => {
        const o: Record<string, unknown> = {};
        const type = item.attr('type')?.value();
        if (type !== undefined) o['type'] = type;
        for (const f of item.childNodes().filter((n): n is Element => n.type() === 'element')) o[f.name()] = f.text();
        return o;
      });
    } else {
      out[name] = name === 'version' ? Number(child.text()) : child.text();
    }
  }
  out['addresses'] ??= [];
  out['contacts'] ??= [];
  return out;
}


/** GET `url` with node:http, reading nothing for `pauseMs` after the first piece (then `onPaused`); the bytes and lines that came, and how the answer ended. */
function slowGet(url: string, pauseMs: number, onPaused: () => Promise<void> = async () => {}): Promise<{ status: number; bytes: number; lines: number; tail: string; ended: 'end' | 'cut' }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let bytes = 0;
      let lines = 0;
      let tail = '';
      let paused = false;
      const done = (ended: 'end' | 'cut'): void => resolve({ status: res.statusCode ?? 0, bytes, lines, tail, ended });
      res.on('data', (piece: Buffer) => {
        bytes += piece.length;
        for (const b of piece) if (b === 10) lines++;
        tail = (tail + piece.toString('utf8')).slice(-200);
        if (!paused) {
          paused = true;
          res.pause();
          setTimeout(() => { void onPaused().then(() => res.resume(), reject); }, pauseMs);
        }
      });
      res.on('end', () => done('end'));
      res.on('error', () => done('cut'));
      res.on('aborted', () => done('cut'));
    // A connection closed before any answer (status 0) is cut short too.
    }).on('error', () => resolve({ status: 0, bytes: 0, lines: 0, tail: '', ended: 'cut' }));
  });
}

describe('GET /api/export', function () {
  this.timeout(120_000);
  let server: TestServer;
  let api: string;
  before(async () => {
    server = await startServer();
    api = `${server.url}/api`;
  });
  after(async () => { await server.close(); });

  it('answers {"customers":[]} for an empty store', async () => {
    const a = await call(`${api}/export`, 'GET');
    expect(a.status).to.equal(200);
    expect(a.headers.get('content-type')).to.equal(JSON_TYPE);
    expect(a.text).to.equal('{"customers":[]}\n');
  });

  it('answers every customer, ordered by id, each line the very bytes GET /api/customers/{id} answers, awkward characters escaped', async () => {
    const sent = [
      { type: 'PERSON', name: AWKWARD_NAME, email: 'a@b.example', contacts: [{ lastName: 'Quote "Q"', role: 'back\\slash' }] },
      { type: 'ORGANIZATION', name: 'Plain', externalId: 'EXP-2', vatNumber: 'DE1', addresses: [{ type: 'SHIPPING', line1: 'L1', line2: 'L2', city: 'C', region: 'R', postalCode: 'P', country: 'AT' }] },
      { type: 'PERSON', name: 'Minimal' },
    ];
    const ids: string[] = [];
    for (const body of sent) ids.push((await call(`${api}/customers`, 'POST', body)).body?.['id'] as string);
    await call(`${api}/customers/${ids[1] ?? ''}`, 'PUT', { ...sent[1], status: 'ACTIVE', version: 1 });

    const a = await call(`${api}/export`, 'GET');
    expect(a.status).to.equal(200);
    const lines = customerLines(a.text);
    expect(lines).to.have.length(3);
    const byId = [...ids].sort();
    for (const [i, line] of lines.entries()) {
      const single = await call(`${api}/customers/${byId[i] ?? ''}`, 'GET');
      expect(line).to.equal(single.text);
    }
    // Whole, the answer is JSON: the awkward name comes back character for character.
    const parsed = JSON.parse(a.text) as { customers: { id: string; name: string; contacts: { lastName: string; role: string }[] }[] };
    expect(Object.keys(parsed)).to.deep.equal(['customers']);
    const awkward = parsed.customers.find((c) => c.id === ids[0]);
    expect(awkward?.name).to.equal(AWKWARD_NAME);
    expect(awkward?.contacts[0]).to.deep.equal({ lastName: 'Quote "Q"', role: 'back\\slash' });
    expect(a.text).to.contain('Say \\"hi\\" \\\\ C:\\\\dir\\ttab').and.contain('𝄞 😀 東京');
  });

  it('holds the same customers with the same fields as GET /xml/export, each a body /api takes back', async () => {
    const json = JSON.parse((await call(`${api}/export`, 'GET')).text) as { customers: Record<string, unknown>[] };
    const xml = await (await fetch(`${server.url}/xml/export`)).text();
    const fromXml = libxml.parseXml(xml).find<Element>('/c:CustomerBatch/c:customer', { c: NS.crm }).map(xmlCustomerAsJson);
    expect(json.customers.length).to.be.greaterThan(2);
    expect(json.customers).to.deep.equal(fromXml);
    // Each is a body /api takes as it is (the batch is posted back unchanged): the same validator as POST /api/customers.
    const validator = new AjvJsonValidator();
    for (const c of json.customers) expect(validator.validate('Customer', c, () => ({ line: 1, column: 1 })).errors).to.deep.equal([]);
  });

  it('is posted back to POST /api/batches as it is: every customer UNCHANGED, the store as it was', async () => {
    const before = await call(`${api}/export`, 'GET');
    const report = await call(`${api}/batches`, 'POST', before.text);
    expect(report.status, report.text).to.equal(200);
    const customers = (JSON.parse(before.text) as { customers: unknown[] }).customers.length;
    expect(report.body).to.deep.include({ created: 0, updated: 0, unchanged: customers, failed: 0 });
    expect((await call(`${api}/export`, 'GET')).text).to.equal(before.text);
  });

  it('answers only the customers updated since a time (the same customers as /xml/export?updatedSince=)', async () => {
    const earlier = (await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'Earlier' })).body?.['id'] as string;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date().toISOString();
    const later = (await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'Later' })).body?.['id'] as string;
    const exported = (query: string): Promise<string[]> => call(`${api}/export${query}`, 'GET').then((a) => {
      expect(a.status, a.text).to.equal(200);
      return (JSON.parse(a.text) as { customers: { id: string }[] }).customers.map((c) => c.id);
    });
    const recent = await exported(`?updatedSince=${encodeURIComponent(since)}`);
    expect(recent).to.include(later).and.not.include(earlier);
    expect(await exported('?updatedSince=2999-01-01T00:00:00Z')).to.deep.equal([]);
    expect(await exported('?updatedSince=2000-01-01T00:00:00Z')).to.include(earlier).and.include(later);
    const xml = await (await fetch(`${server.url}/xml/export?updatedSince=${encodeURIComponent(since)}`)).text();
    expect((xml.match(/<customer>/g) ?? []).length).to.equal(recent.length);
  });

  it('refuses a bad updatedSince and any other parameter as /xml/export does, naming the parameter {"path","in":"query"}', async () => {
    const bad = expectError(await call(`${api}/export?updatedSince=soon`, 'GET'), 400, 'VALIDATION_FAILED');
    expect(bad.map((e) => ({ path: e.path, in: e.in }))).to.deep.equal([{ path: 'updatedSince', in: 'query' }]);
    const other = expectError(await call(`${api}/export?limit=3`, 'GET'), 400, 'VALIDATION_FAILED');
    expect(other.map((e) => ({ path: e.path, in: e.in }))).to.deep.equal([{ path: 'limit', in: 'query' }]);
    expect((await fetch(`${server.url}/xml/export?updatedSince=soon`)).status).to.equal(400);
  });

  it('answers 405 with Allow: GET for another method', async () => {
    const a = await call(`${api}/export`, 'POST', {});
    expectError(a, 405, 'UNKNOWN_OPERATION');
    expect(a.headers.get('allow')).to.equal('GET');
  });

  describe('a large export', () => {
    const COUNT = 100_000;
    let big: TestServer;
    before(async () => {
      big = await startServer();
      for (let i = 0; i < COUNT / 10_000; i++) await fill(big.url, 10_000, `BIG${i}`, 200);
    });
    after(async () => { await big.close(); });

    it('streams from the store in bounded memory, waiting for a client that does not read', async () => {
      let answer: Awaited<ReturnType<typeof slowGet>> | undefined;
      const growth = await peakRssGrowth(async () => { answer = await slowGet(`${big.url}/api/export`, 1500); });
      expect(answer?.status).to.equal(200);
      expect(answer?.ended).to.equal('end');
      expect(answer?.lines).to.equal(COUNT + 2);
      expect(answer?.tail.endsWith('\n]}\n')).to.equal(true);
      const exportMb = (answer?.bytes ?? 0) / MB;
      // The whole answer held anywhere (an array built, or written past a client that does not read) would take more than it is long.
      expect(exportMb).to.be.greaterThan(40);
      expect(growth, `${growth.toFixed(1)} MB of RSS growth for a ${exportMb.toFixed(1)} MB export`).to.be.lessThan(exportMb / 3);
    });

    // Last: it breaks the store.
    it('cuts the answer short when the store fails midway, as /xml/export does: never a complete-looking answer', async () => {
      const cut = await slowGet(`${big.url}/api/export`, 300, async () => { big.db.close(); });
      expect(cut.status).to.equal(200);
      expect(cut.ended).to.equal('cut');
      expect(cut.lines).to.be.lessThan(COUNT);
      expect(cut.tail.endsWith('\n]}\n')).to.equal(false);
      // The store still broken from the first page: both exports are cut short, before or after their status.
      for (const path of ['/api/export', '/xml/export']) {
        const answer = await slowGet(`${big.url}${path}`, 0);
        expect(answer.ended, path).to.equal('cut');
        expect(answer.bytes, path).to.be.lessThan(200);
      }
    });
  });
});

describe('GET /api/export with authentication on', () => {
  let server: TestServer;
  before(async () => {
    server = await serverWithUsers('crm-api-export-auth-');
  });
  after(async () => { await server.close(); });

  it('answers 401 with WWW-Authenticate without credentials or with wrong ones, and lets a reader and a writer export', async () => {
    const none = await call(`${server.url}/api/export`, 'GET');
    expectError(none, 401, 'UNAUTHORIZED');
    expect(none.headers.get('www-authenticate')).to.equal('Basic realm="crm-bridge"');
    expectError(await call(`${server.url}/api/export`, 'GET', undefined, { authorization: basic('reports', 'wrong') }), 401, 'UNAUTHORIZED');
    await call(`${server.url}/api/customers`, 'POST', { type: 'PERSON', name: 'A' }, { authorization: basic('erp', 'erp secret') });
    for (const who of [basic('reports', 'reports secret'), basic('erp', 'erp secret')]) {
      const a = await call(`${server.url}/api/export`, 'GET', undefined, { authorization: who });
      expect(a.status, a.text).to.equal(200);
      expect((a.body?.['customers'] as unknown[]).length).to.equal(1);
    }
  });
});
