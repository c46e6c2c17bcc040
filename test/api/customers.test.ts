// The /api customer resources (contract v1.1, JSON over HTTP) on a real
// server: statuses, shapes, the JSON rules (null and [] absent, unknown and
// repeated members, strict types, characters XML cannot carry), errors that
// point, conditional requests, 404/405/415, and the same auth as /xml. A
// refused request changes nothing.
import { expect } from 'chai';
import { basic, serverWithUsers } from '../helpers/auth.js';
import { call, expectError } from '../helpers/json-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';

const FULL = {
  externalId: 'API-1',
  type: 'ORGANIZATION',
  name: 'Müller & Söhne GmbH — 東京支店',
  email: 'info@mueller.example',
  phone: '+49 30 1234567',
  status: 'PROSPECT',
  vatNumber: 'DE123456789',
  addresses: [
    { type: 'SHIPPING', line1: 'Lager 7', line2: 'Tor 3', city: 'Hamburg', region: 'HH', postalCode: '20095', country: 'DE' },
    { type: 'BILLING', line1: 'Hauptstr. 1', city: 'Berlin', country: 'DE' },
  ],
  contacts: [{ firstName: 'Zoë', lastName: 'Adams', email: 'zoe@mueller.example', phone: '+49 1', role: 'Buyer' }, { lastName: 'Brandt' }],
};

describe('/api/customers', () => {
  let server: TestServer;
  let api: string;
  const count = (): number => (server.db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
  before(async () => {
    server = await startServer();
    api = `${server.url}/api`;
  });
  after(async () => { await server.close(); });

  describe('POST /api/customers', () => {
    it('answers 201 with Location, ETag and the customer in the contract\'s member order, every field as sent', async () => {
      const a = await call(`${api}/customers`, 'POST', FULL);
      expect(a.status, a.text).to.equal(201);
      const id = a.body?.['id'] as string;
      expect(a.headers.get('location')).to.equal(`/api/customers/${id}`);
      expect(a.headers.get('etag')).to.equal('"1"');
      expect(Object.keys(a.body ?? {})).to.deep.equal(['id', 'externalId', 'type', 'name', 'email', 'phone', 'status', 'vatNumber', 'addresses', 'contacts', 'version', 'createdAt', 'updatedAt']);
      expect(a.body).to.deep.include({ ...FULL, id, version: 1 });
      expect(a.body?.['createdAt']).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('leaves out absent optional scalars and always carries addresses and contacts; null and [] are absent', async () => {
      const a = await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'Ada', email: null, addresses: [], contacts: null });
      expect(a.status, a.text).to.equal(201);
      expect(Object.keys(a.body ?? {})).to.deep.equal(['id', 'type', 'name', 'status', 'addresses', 'contacts', 'version', 'createdAt', 'updatedAt']);
      expect(a.body?.['addresses']).to.deep.equal([]);
      expect(a.body?.['contacts']).to.deep.equal([]);
    });

    it('is read back the same over /xml', async () => {
      const a = await call(`${api}/customers`, 'POST', { ...FULL, externalId: 'API-XML' });
      const xml = await (await fetch(`${server.url}/xml/customers/${a.body?.['id'] as string}`)).text();
      expect(xml).to.contain('<name>Müller &amp; Söhne GmbH — 東京支店</name>').and.contain('<address type="SHIPPING"><line1>Lager 7</line1>');
    });

    it('refuses a member the XSD does not have, and a repeated member, each with its pointer, line and column', async () => {
      const before = count();
      const errors = expectError(await call(`${api}/customers`, 'POST', '{"type":"PERSON",\n "name":"a",\n "name":"b",\n "nickname":"c"}'), 400, 'VALIDATION_FAILED');
      expect(errors.map((e) => [e.path, e.line, e.column])).to.deep.equal([['/name', 3, 2], ['/nickname', 4, 13]]);
      expect(count()).to.equal(before);
    });

    it('points at the member that fails: /addresses/0/country, /name for a missing member', async () => {
      const errors = expectError(await call(`${api}/customers`, 'POST', { type: 'PERSON', addresses: [{ type: 'BILLING', line1: 'a', city: 'b', country: 'de' }] }), 400, 'VALIDATION_FAILED');
      expect(errors.map((e) => e.path).sort()).to.deep.equal(['/addresses/0/country', '/name']);
    });

    it('is strict about types: a number is no string, a string no integer, an object no array', async () => {
      const errors = expectError(await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 5, version: '1', addresses: { type: 'BILLING' }, phone: true }), 400, 'VALIDATION_FAILED');
      expect(errors.map((e) => e.path).sort()).to.deep.equal(['/addresses', '/name', '/phone', '/version']);
    });

    for (const [what, text] of [['a control character', 'a\u0001b'], ['U+FFFF', 'a\uFFFFb'], ['a lone surrogate', 'a\uD800b']] as const) {
      it(`refuses ${what}, which XML 1.0 cannot carry, pointing at it`, async () => {
        const errors = expectError(await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'A', contacts: [{ lastName: text }] }), 400, 'VALIDATION_FAILED');
        expect(errors.map((e) => e.path)).to.deep.equal(['/contacts/0/lastName']);
      });
    }

    it('answers MALFORMED_JSON (400) with line and column for a body that is not JSON, and for an empty one', async () => {
      const errors = expectError(await call(`${api}/customers`, 'POST', '{\n  "type": "PERSON",\n  "name": "A",\n}'), 400, 'MALFORMED_JSON');
      expect(errors[0]).to.include({ line: 4, column: 1 });
      const bad = await call(`${api}/customers`, 'POST', '{\n  "type": "PERSON",\n  "name": "A",\n}');
      expect(bad.body?.['message']).to.contain('line 4, column 1');
      expectError(await call(`${api}/customers`, 'POST', ''), 400, 'MALFORMED_JSON');
      expectError(await call(`${api}/customers`, 'POST', '{"type":"PERSON","name":"A"} {}'), 400, 'MALFORMED_JSON');
    });

    it('refuses an unknown member also when it is null or [] (absent means a member the contract knows)', async () => {
      const before = count();
      const errors = expectError(await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'A', fax: null, addresses: [{ type: 'BILLING', line1: 'L', city: 'C', country: 'DE', floor: [] }], email: null }), 400, 'VALIDATION_FAILED');
      expect(errors.map((e) => e.path)).to.have.members(['/fax', '/addresses/0/floor']);
      expect(count()).to.equal(before);
    });

    it('refuses 50,000 contacts at /contacts and 50,000 unknown members each at its place, as quickly as one', async () => {
      // Found by the fuzzer (test/fuzz): Ajv copied its error list once per bad item and each error's place parsed the body again: minutes.
      const before = count();
      const many = expectError(await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'A', contacts: Array.from({ length: 50_000 }, () => ({})) }), 400, 'VALIDATION_FAILED');
      expect(many[0]?.path).to.equal('/contacts');
      const wide = expectError(await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'A', ...Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`x${i}`, 1])) }), 400, 'VALIDATION_FAILED');
      expect(wide.map((e) => e.path)).to.have.length(50_000).and.include('/x49999');
      expect(count()).to.equal(before);
    });

    it('refuses a member named __proto__ (or constructor) as unknown, whatever it holds', async () => {
      // Found by the fuzzer (test/fuzz): __proto__ became the checked value's prototype, so it was no unknown member and its members were read as the customer's.
      const before = count();
      const inherited = expectError(await call(`${api}/customers`, 'POST', '{"__proto__":{"type":"PERSON","name":"Proto"}}'), 400, 'VALIDATION_FAILED');
      expect(inherited.map((e) => e.path)).to.have.members(['/__proto__', '/type', '/name']);
      const beside = expectError(await call(`${api}/customers`, 'POST', '{"type":"PERSON","name":"A","__proto__":{"status":"BLOCKED"},"constructor":1}'), 400, 'VALIDATION_FAILED');
      expect(beside.map((e) => e.path)).to.have.members(['/__proto__', '/constructor']);
      expect(count()).to.equal(before);
    });

    it('answers a body nested 100000 deep MALFORMED_JSON when it is not JSON and PAYLOAD_TOO_LARGE when it is, a repeated member inside or not', async () => {
      // Found by the fuzzer (test/fuzz): finding the error's place recursed once per level and overflowed the stack: INTERNAL.
      const before = count();
      const deep = '['.repeat(100_000);
      const errors = expectError(await call(`${api}/customers`, 'POST', `{"type":"PERSON","name":${deep}`), 400, 'MALFORMED_JSON');
      expect(errors[0]).to.include({ line: 1, column: 25 + 100_000 });
      expectError(await call(`${api}/customers`, 'POST', `{"type":"PERSON","name":"A","x":${'{"a":'.repeat(100_000)}{"y":1,"y":2}${'}'.repeat(100_000)}}`), 413, 'PAYLOAD_TOO_LARGE');
      expect(count()).to.equal(before);
    });

    it('refuses a body that is not UTF-8 as MALFORMED_JSON', async () => {
      const res = await fetch(`${api}/customers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) });
      expect(res.status).to.equal(400);
      expect(((await res.json()) as { code: string }).code).to.equal('MALFORMED_JSON');
    });

    it('takes application/json and application/*+json in UTF-8; any other is 415', async () => {
      const body = JSON.stringify({ type: 'PERSON', name: 'A' });
      expect((await call(`${api}/customers`, 'POST', body, { 'content-type': 'application/json; charset=UTF-8' })).status).to.equal(201);
      expect((await call(`${api}/customers`, 'POST', body, { 'content-type': 'application/vnd.crm+json' })).status).to.equal(201);
      expectError(await call(`${api}/customers`, 'POST', body, { 'content-type': 'application/xml' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await call(`${api}/customers`, 'POST', body, { 'content-type': 'text/json' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await call(`${api}/customers`, 'POST', body, { 'content-type': 'application/json; charset=iso-8859-1' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers DUPLICATE_EXTERNAL_ID (409) for an externalId another customer holds', async () => {
      await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'A', externalId: 'DUP-1' });
      expectError(await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'B', externalId: 'DUP-1' }), 409, 'DUPLICATE_EXTERNAL_ID');
    });
  });

  describe('GET /api/customers/{id}', () => {
    it('answers 200 with ETag, 304 for a matching If-None-Match, 404 NOT_FOUND for an unknown id', async () => {
      const created = await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'Grace' });
      const id = created.body?.['id'] as string;
      const a = await call(`${api}/customers/${id}`, 'GET');
      expect(a.status).to.equal(200);
      expect(a.body).to.deep.equal(created.body);
      expect(a.headers.get('etag')).to.equal('"1"');
      expect((await call(`${api}/customers/${id}`, 'GET', undefined, { 'if-none-match': '"1"' })).status).to.equal(304);
      expectError(await call(`${api}/customers/nope`, 'GET'), 404, 'NOT_FOUND');
    });

    it('checks the path id as /xml does (XSD CustomerId): 37 characters are VALIDATION_FAILED pointing at the path', async () => {
      const errors = expectError(await call(`${api}/customers/${'x'.repeat(37)}`, 'GET'), 400, 'VALIDATION_FAILED');
      expect(errors.map((e) => ({ path: e.path, in: e.in }))).to.deep.equal([{ path: 'id', in: 'path' }]);
    });
  });

  describe('PUT /api/customers/{id}', () => {
    it('replaces the whole customer (version + 1): what the body leaves out is gone', async () => {
      const created = await call(`${api}/customers`, 'POST', { ...FULL, externalId: 'PUT-1' });
      const id = created.body?.['id'] as string;
      const a = await call(`${api}/customers/${id}`, 'PUT', { type: 'PERSON', name: 'Renamed', version: 1 });
      expect(a.status, a.text).to.equal(200);
      expect(a.body).to.deep.include({ id, name: 'Renamed', version: 2, addresses: [], contacts: [] });
      expect(a.body).to.not.have.property('email');
      expect(a.headers.get('etag')).to.equal('"2"');
    });

    it('answers 409 for a stale body version, 412 for a stale If-Match, and refuses an id in the body that is not the path\'s', async () => {
      const id = (await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'V' })).body?.['id'] as string;
      expect((await call(`${api}/customers/${id}`, 'PUT', { type: 'PERSON', name: 'V2' }, { 'if-match': '"1"' })).status).to.equal(200);
      expectError(await call(`${api}/customers/${id}`, 'PUT', { type: 'PERSON', name: 'V3', version: 1 }), 409, 'VERSION_CONFLICT');
      expectError(await call(`${api}/customers/${id}`, 'PUT', { type: 'PERSON', name: 'V3' }, { 'if-match': '"1"' }), 412, 'VERSION_CONFLICT');
      const errors = expectError(await call(`${api}/customers/${id}`, 'PUT', { id: 'other', type: 'PERSON', name: 'V3', version: 2 }), 400, 'VALIDATION_FAILED');
      expect(errors.map((e) => e.path)).to.deep.equal(['/id']);
      expectError(await call(`${api}/customers/unknown-id`, 'PUT', { type: 'PERSON', name: 'V3', version: 1 }), 404, 'NOT_FOUND');
      expect((await call(`${api}/customers/${id}`, 'GET')).body?.['name']).to.equal('V2');
    });
  });

  describe('DELETE /api/customers/{id}', () => {
    it('answers 204, then 404; with a stale If-Match 412 and nothing deleted', async () => {
      const id = (await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'D' })).body?.['id'] as string;
      expectError(await call(`${api}/customers/${id}`, 'DELETE', undefined, { 'if-match': '"7"' }), 412, 'VERSION_CONFLICT');
      const a = await call(`${api}/customers/${id}`, 'DELETE', undefined, { 'if-match': '"1"' });
      expect(a.status).to.equal(204);
      expect(a.text).to.equal('');
      expectError(await call(`${api}/customers/${id}`, 'DELETE'), 404, 'NOT_FOUND');
    });
  });

  describe('GET /api/customers?...', () => {
    it('answers {"total","offset","customers"} with the same filters as /xml', async () => {
      await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'Searchable Müller', addresses: [{ type: 'OTHER', line1: 'x', city: 'y', country: 'AT' }] });
      const a = await call(`${api}/customers?name=searchable%20m%C3%BCller&country=AT&limit=10`, 'GET');
      expect(a.status, a.text).to.equal(200);
      expect(Object.keys(a.body ?? {})).to.deep.equal(['total', 'offset', 'customers']);
      expect(a.body).to.deep.include({ total: 1, offset: 0 });
      expect((a.body?.['customers'] as { name: string }[])[0]?.name).to.equal('Searchable Müller');
    });

    it('checks the parameters as /xml does, each error naming the parameter {"path","in":"query"}', async () => {
      const errors = expectError(await call(`${api}/customers?limit=501&updatedSince=yesterday&colour=red`, 'GET'), 400, 'VALIDATION_FAILED');
      expect(errors.map((e) => ({ path: e.path, in: e.in }))).to.deep.include.members([{ path: 'limit', in: 'query' }, { path: 'updatedSince', in: 'query' }, { path: 'colour', in: 'query' }]);
    });
  });

  describe('GET /api/customers/{id}/history', () => {
    it('answers {"changes":[...]} oldest first, also once deleted; 404 for an id never stored', async () => {
      const id = (await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'H' }, { 'x-request-id': 'hist-create-1' })).body?.['id'] as string;
      await call(`${api}/customers/${id}`, 'DELETE');
      const a = await call(`${api}/customers/${id}/history`, 'GET');
      expect(a.status, a.text).to.equal(200);
      const changes = a.body?.['changes'] as { version: number; operation: string; requestId: string; actor?: string }[];
      expect(changes.map((c) => [c.version, c.operation])).to.deep.equal([[1, 'CREATE'], [1, 'DELETE']]);
      expect(changes[0]?.requestId).to.equal('hist-create-1');
      expect(changes[0]).to.not.have.property('actor');
      expectError(await call(`${api}/customers/never-stored/history`, 'GET'), 404, 'NOT_FOUND');
    });
  });

  describe('paths and methods', () => {
    it('answers 405 with Allow for a method a path lacks, 404 NOT_FOUND for a path /api does not have', async () => {
      const a = await call(`${api}/customers`, 'PATCH', {});
      expectError(a, 405, 'UNKNOWN_OPERATION');
      expect(a.headers.get('allow')).to.equal('POST, GET');
      expect((await call(`${api}/customers/x`, 'POST', {})).headers.get('allow')).to.equal('GET, PUT, DELETE');
      expectError(await call(`${api}/nothing-here`, 'GET'), 404, 'NOT_FOUND');
    });

    it('answers a path id that is not valid percent-encoding VALIDATION_FAILED as JSON, pointing at the id, for every method', async () => {
      // Found by the fuzzer (test/fuzz): the router's own error reached the app's last resort, which answered a ServiceFault in XML.
      const before = count();
      for (const [method, id, tail] of [['GET', '%ZZ', ''], ['DELETE', '%FF', ''], ['PUT', '%C3', ''], ['GET', 'ab%E6%9D', '/history']] as const) {
        const errors = expectError(await call(`${api}/customers/${id}${tail}`, method, method === 'PUT' ? { type: 'PERSON', name: 'P' } : undefined), 400, 'VALIDATION_FAILED');
        expect(errors.map((e) => [e.path, e.in])).to.deep.equal([['id', 'path']]);
      }
      expect(count()).to.equal(before);
    });
  });
});

describe('/api with authentication on', () => {
  let server: TestServer;
  let api: string;
  const writer = basic('erp', 'erp secret');
  const reader = basic('reports', 'reports secret');
  before(async () => {
    server = await serverWithUsers('crm-api-auth-');
    api = `${server.url}/api`;
  });
  after(async () => { await server.close(); });

  it('answers 401 with WWW-Authenticate without credentials, 403 FORBIDDEN for a reader\'s write, before validation', async () => {
    const a = await call(`${api}/customers`, 'GET');
    expectError(a, 401, 'UNAUTHORIZED');
    expect(a.headers.get('www-authenticate')).to.equal('Basic realm="crm-bridge"');
    expectError(await call(`${api}/customers`, 'POST', { name: 5, unknown: true }, { authorization: reader }), 403, 'FORBIDDEN');
    expectError(await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'A' }, { authorization: basic('erp', 'wrong') }), 401, 'UNAUTHORIZED');
    expect((server.db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n).to.equal(0);
  });

  it('lets a writer write and a reader read, and records the writer in the history', async () => {
    const created = await call(`${api}/customers`, 'POST', { type: 'PERSON', name: 'A' }, { authorization: writer });
    expect(created.status).to.equal(201);
    const id = created.body?.['id'] as string;
    expect((await call(`${api}/customers/${id}`, 'GET', undefined, { authorization: reader })).status).to.equal(200);
    const history = await call(`${api}/customers/${id}/history`, 'GET', undefined, { authorization: reader });
    expect((history.body?.['changes'] as { actor: string }[])[0]?.actor).to.equal('erp');
  });
});
