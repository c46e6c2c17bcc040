import { expect } from 'chai';
import { customerDoc, expectServiceFault, field, attr, request, sendXml } from '../helpers/xml-client.js';
import { call, faultOf } from '../helpers/soap-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';

const ADA = '<externalId>ADA-1</externalId><type>PERSON</type><name>Ada Lovelace</name><email>ada@example.org</email>' +
  '<addresses><address type="BILLING"><line1>1 St James Sq</line1><city>London</city><country>GB</country></address></addresses><contacts/>';

describe('/xml/customers', () => {
  let server: TestServer;
  let base: string;
  before(async () => { server = await startServer({ CRM_MAX_BODY_BYTES: '4096' }); base = `${server.url}/xml/customers`; });
  after(async () => { await server.close(); });

  async function create(inner: string): Promise<{ id: string; location: string | null; etag: string | null }> {
    const answer = await sendXml(base, 'POST', customerDoc(inner));
    expect(answer.status, answer.text).to.equal(201);
    return { id: field(answer, '/c:Customer/c:id') ?? '', location: answer.headers.get('location'), etag: answer.headers.get('etag') };
  }

  describe('POST /xml/customers', () => {
    it('answers 201 with Location, ETag and the stored Customer', async () => {
      const answer = await sendXml(base, 'POST', customerDoc(ADA.replace('ADA-1', 'ADA-POST')));
      expect(answer.status).to.equal(201);
      const id = field(answer, '/c:Customer/c:id');
      expect(answer.headers.get('location')).to.equal(`/xml/customers/${id ?? ''}`);
      expect(answer.headers.get('etag')).to.equal('"1"');
      expect(field(answer, '/c:Customer/c:addresses/c:address/c:city')).to.equal('London');
      expect(answer.doc?.get('/c:Customer/c:contacts', { c: 'urn:crm-bridge:customer:v1' })).to.exist;
    });

    it('answers 415 for a media type other than application/xml or text/xml', async () => {
      const answer = await request(base, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expectServiceFault(answer, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('accepts text/xml too', async () => {
      const answer = await sendXml(base, 'POST', customerDoc('<type>PERSON</type><name>Text Xml</name>'), { 'content-type': 'text/xml; charset=utf-8' });
      expect(answer.status).to.equal(201);
    });

    it('answers 400 MALFORMED_XML with line and column', async () => {
      const f = expectServiceFault(await sendXml(base, 'POST', '<Customer xmlns="urn:crm-bridge:customer:v1">\n<name>x</nam>\n</Customer>'), 400, 'MALFORMED_XML');
      expect(f.errors[0]).to.deep.include({ line: 2 });
    });

    it('answers 400 VALIDATION_FAILED with every schema error and its position', async () => {
      const f = expectServiceFault(await sendXml(base, 'POST', customerDoc('\n<type>ALIEN</type>\n<name>X</name>\n<email>nope</email>')), 400, 'VALIDATION_FAILED');
      expect(f.errors.map((e) => [e.line, e.column])).to.deep.equal([[3, 1], [5, 1]]);
    });

    it('answers 400 for a body that is not a Customer document', async () => {
      const f = expectServiceFault(await sendXml(base, 'POST', '<CustomerBatch xmlns="urn:crm-bridge:customer:v1"/>'), 400, 'VALIDATION_FAILED');
      expect(f.message).to.contain('Customer');
    });

    it('answers 409 DUPLICATE_EXTERNAL_ID for a taken externalId', async () => {
      await create(ADA.replace('ADA-1', 'ADA-DUP'));
      expectServiceFault(await sendXml(base, 'POST', customerDoc(ADA.replace('ADA-1', 'ADA-DUP'))), 409, 'DUPLICATE_EXTERNAL_ID');
    });

    it('answers 413 PAYLOAD_TOO_LARGE over the body limit', async () => {
      expectServiceFault(await sendXml(base, 'POST', customerDoc(`<type>PERSON</type><name>${'n'.repeat(5000)}</name>`)), 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('GET /xml/customers/{id}', () => {
    it('answers 200 with the Customer and its ETag; 304 for If-None-Match of that ETag', async () => {
      const { id, etag } = await create(ADA.replace('ADA-1', 'ADA-GET'));
      const answer = await request(`${base}/${id}`);
      expect(answer.status).to.equal(200);
      expect(field(answer, '/c:Customer/c:externalId')).to.equal('ADA-GET');
      expect(answer.headers.get('etag')).to.equal(etag);
      const cached = await request(`${base}/${id}`, { headers: { 'if-none-match': etag ?? '' } });
      expect(cached.status).to.equal(304);
      expect(cached.text).to.equal('');
    });

    it('answers 404 NOT_FOUND for an unknown id', async () => {
      expectServiceFault(await request(`${base}/nobody`), 404, 'NOT_FOUND');
    });
  });

  describe('PUT /xml/customers/{id}', () => {
    it('answers 200 with version + 1 (version from the body)', async () => {
      const { id } = await create(ADA.replace('ADA-1', 'ADA-PUT'));
      const answer = await sendXml(`${base}/${id}`, 'PUT', customerDoc('<type>PERSON</type><name>Countess</name><version>1</version>'));
      expect(answer.status).to.equal(200);
      expect(field(answer, '/c:Customer/c:version')).to.equal('2');
      expect(answer.headers.get('etag')).to.equal('"2"');
    });

    it('takes the version from If-Match, and answers 412 when it is not current', async () => {
      const { id } = await create(ADA.replace('ADA-1', 'ADA-IFM'));
      const stale = await sendXml(`${base}/${id}`, 'PUT', customerDoc('<type>PERSON</type><name>X</name>'), { 'if-match': '"5"' });
      expect(expectServiceFault(stale, 412, 'VERSION_CONFLICT').message).to.contain('version 1');
      const ok = await sendXml(`${base}/${id}`, 'PUT', customerDoc('<type>PERSON</type><name>X</name>'), { 'if-match': '"1"' });
      expect(ok.status).to.equal(200);
      expectServiceFault(await sendXml(`${base}/${id}`, 'PUT', customerDoc('<type>PERSON</type><name>Y</name>'), { 'if-match': 'garbage' }), 412, 'VERSION_CONFLICT');
    });

    it('answers 409 VERSION_CONFLICT for a stale version in the body', async () => {
      const { id } = await create(ADA.replace('ADA-1', 'ADA-STALE'));
      await sendXml(`${base}/${id}`, 'PUT', customerDoc('<type>PERSON</type><name>A</name><version>1</version>'));
      expectServiceFault(await sendXml(`${base}/${id}`, 'PUT', customerDoc('<type>PERSON</type><name>B</name><version>1</version>')), 409, 'VERSION_CONFLICT');
    });

    it('answers 400 without a version, and when the body names another id', async () => {
      const { id } = await create(ADA.replace('ADA-1', 'ADA-NOV'));
      expectServiceFault(await sendXml(`${base}/${id}`, 'PUT', customerDoc('<type>PERSON</type><name>A</name>')), 400, 'VALIDATION_FAILED');
      expectServiceFault(await sendXml(`${base}/${id}`, 'PUT', customerDoc('<id>other</id><type>PERSON</type><name>A</name><version>1</version>')), 400, 'VALIDATION_FAILED');
    });

    it('answers 404 for an unknown id', async () => {
      expectServiceFault(await sendXml(`${base}/ghost`, 'PUT', customerDoc('<type>PERSON</type><name>A</name><version>1</version>')), 404, 'NOT_FOUND');
    });
  });

  describe('DELETE /xml/customers/{id}', () => {
    it('answers 204, then 404', async () => {
      const { id } = await create(ADA.replace('ADA-1', 'ADA-DEL'));
      expect((await request(`${base}/${id}`, { method: 'DELETE' })).status).to.equal(204);
      expectServiceFault(await request(`${base}/${id}`, { method: 'DELETE' }), 404, 'NOT_FOUND');
    });

    it('answers 412 when If-Match is not the current version, and keeps the customer', async () => {
      const { id } = await create(ADA.replace('ADA-1', 'ADA-DEL412'));
      expectServiceFault(await request(`${base}/${id}`, { method: 'DELETE', headers: { 'if-match': '"9"' } }), 412, 'VERSION_CONFLICT');
      expect((await request(`${base}/${id}`)).status).to.equal(200);
      expect((await request(`${base}/${id}`, { method: 'DELETE', headers: { 'if-match': '"1"' } })).status).to.equal(204);
    });
  });

  describe('GET /xml/customers?...', () => {
    it('answers a CustomerList with total and offset, filtered like SearchCustomers', async () => {
      await create(ADA.replace('ADA-1', 'LIST-1').replace('Ada Lovelace', 'Grace Hopper'));
      await create(ADA.replace('ADA-1', 'LIST-2').replace('Ada Lovelace', 'GRACE Kelly'));
      const answer = await request(`${base}?name=grace&country=GB&limit=1`);
      expect(answer.status).to.equal(200);
      expect(answer.doc?.root()?.name()).to.equal('CustomerList');
      expect(attr(answer, 'total')).to.equal('2');
      expect(attr(answer, 'offset')).to.equal('0');
      expect(answer.doc?.find('/c:CustomerList/c:customer', { c: 'urn:crm-bridge:customer:v1' })).to.have.length(1);
      const next = await request(`${base}?name=grace&country=GB&limit=1&offset=1`);
      expect(attr(next, 'offset')).to.equal('1');
    });

    it('validates parameters with the XSD types: bad limit, bad updatedSince, unknown or repeated parameter', async () => {
      const limit = expectServiceFault(await request(`${base}?limit=501`), 400, 'VALIDATION_FAILED');
      expect(limit.errors[0]?.message).to.match(/^query parameter limit: /);
      expectServiceFault(await request(`${base}?updatedSince=yesterday`), 400, 'VALIDATION_FAILED');
      expectServiceFault(await request(`${base}?limit=abc`), 400, 'VALIDATION_FAILED');
      expect(expectServiceFault(await request(`${base}?colour=red`), 400, 'VALIDATION_FAILED').message).to.contain('colour');
      expectServiceFault(await request(`${base}?name=a&name=b`), 400, 'VALIDATION_FAILED');
    });
  });

  describe('HTTP rules', () => {
    it('answers 405 with Allow and a ServiceFault (UNKNOWN_OPERATION: no operation is that method on that path) for a wrong method', async () => {
      const a = await request(base, { method: 'DELETE' });
      expect(expectServiceFault(a, 405, 'UNKNOWN_OPERATION').message).to.equal('DELETE is not a method of /xml/customers; it takes GET, POST');
      expect(a.headers.get('allow')).to.equal('GET, POST');
      const b = await request(`${base}/x`, { method: 'POST' });
      expectServiceFault(b, 405, 'UNKNOWN_OPERATION');
      expect(b.headers.get('allow')).to.equal('GET, PUT, DELETE');
      for (const where of ['/soap/CustomerService', '/health', '/xml/export']) {
        expectServiceFault(await request(`${server.url}${where}`, { method: 'PUT' }), 405, 'UNKNOWN_OPERATION');
      }
    });

    it('checks a path id with the XSD, as SOAP checks the same id: 37 characters is VALIDATION_FAILED, pointing at the id on the request line', async () => {
      const long = 'x'.repeat(37);
      for (const method of ['GET', 'DELETE']) {
        const fault = expectServiceFault(await request(`${base}/${long}`, { method }), 400, 'VALIDATION_FAILED');
        // "GET /xml/customers/xxx...": the id starts after the method, a space and "/xml/customers/".
        expect(fault.errors.map((e) => [e.line, e.column])).to.deep.equal([[1, method.length + 2 + '/xml/customers/'.length]]);
        expect(fault.errors[0]?.message).to.match(/^path segment id: .*maxLength/);
      }
      const put = expectServiceFault(await sendXml(`${base}/${long}`, 'PUT', customerDoc('<type>PERSON</type><name>Long</name><version>1</version>')), 400, 'VALIDATION_FAILED');
      expect(put.errors[0]?.message).to.match(/^path segment id: /);
      const soap = await call(server.soapUrl, '1.1', 'GetCustomer', `<c:id>${long}</c:id>`);
      expect(faultOf(soap).code).to.equal('VALIDATION_FAILED');
    });

    it('answers a path id that is not valid percent-encoding VALIDATION_FAILED, pointing at it, for every method', async () => {
      // Found by the fuzzer (test/fuzz): the router could not decode the id and the answer was INTERNAL.
      for (const [method, id] of [['GET', '%FF'], ['DELETE', '%ZZ'], ['PUT', '%C3'], ['GET', 'ab%E6%9D']] as const) {
        const body = method === 'PUT' ? customerDoc('<type>PERSON</type><name>P</name><version>1</version>') : undefined;
        const answer = await request(`${base}/${id}`, { method, body, headers: body === undefined ? {} : { 'content-type': 'application/xml' } });
        const fault = expectServiceFault(answer, 400, 'VALIDATION_FAILED');
        expect(fault.errors.map((e) => [e.line, e.column])).to.deep.equal([[1, method.length + 2 + '/xml/customers/'.length]]);
      }
    });

    it('points a query parameter\'s schema error at the parameter on the request line', async () => {
      const fault = expectServiceFault(await request(`${base}?name=a&limit=501`), 400, 'VALIDATION_FAILED');
      // "GET /xml/customers?name=a&limit=501": limit starts at column 4 + 1 + 22.
      expect(fault.errors.map((e) => [e.line, e.column])).to.deep.equal([[1, 27]]);
      const unknown = expectServiceFault(await request(`${base}?colour=red`), 400, 'VALIDATION_FAILED');
      expect(unknown.errors[0]?.message).to.match(/^query parameter colour: .*not expected/);
    });

    it('answers a 404 ServiceFault for an unknown path', async () => {
      expectServiceFault(await request(`${server.url}/xml/invoices`), 404, 'NOT_FOUND');
    });
  });
});
