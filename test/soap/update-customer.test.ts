import { expect } from 'chai';
import { fullCustomer, minimalCustomer } from '../helpers/customers.js';
import { call, customerOf, expectFault, payloadOf, text, VERSIONS } from '../helpers/soap-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';

describe('UpdateCustomer', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  async function create(v: '1.1' | '1.2'): Promise<{ id: string; externalId: string; createdAt: string }> {
    const c = fullCustomer();
    const p = payloadOf(await call(server.soapUrl, v, 'CreateCustomer', c.xml));
    return { id: text(p, 'c:customer/c:id') ?? '', externalId: c.externalId, createdAt: text(p, 'c:customer/c:createdAt') ?? '' };
  }

  for (const v of VERSIONS) {
    describe(`SOAP ${v}`, () => {
      it('replaces fields, addresses and contacts and bumps the version', async () => {
        const { id, createdAt } = await create(v);
        const answer = await call(server.soapUrl, v, 'UpdateCustomer', `<c:customer><c:id>${id}</c:id><c:type>PERSON</c:type><c:name>Renamed</c:name>
          <c:status>INACTIVE</c:status><c:addresses><c:address type="OTHER"><c:line1>New 1</c:line1><c:city>Wien</c:city><c:country>AT</c:country></c:address></c:addresses>
          <c:version>1</c:version></c:customer>`);
        const c = payloadOf(answer);
        expect(c.name()).to.equal('UpdateCustomerResponse');
        expect(text(c, 'c:customer/c:version')).to.equal('2');
        expect(text(c, 'c:customer/c:name')).to.equal('Renamed');
        expect(text(c, 'c:customer/c:externalId')).to.equal(undefined);
        expect(text(c, 'c:customer/c:addresses/c:address/c:city')).to.equal('Wien');
        expect(text(c, 'c:customer/c:contacts')).to.equal(undefined);
        expect(text(c, 'c:customer/c:createdAt')).to.equal(createdAt);
        expect(Date.parse(text(c, 'c:customer/c:updatedAt') ?? '')).to.be.at.least(Date.parse(createdAt));
        expect(customerOf(await call(server.soapUrl, v, 'GetCustomer', `<c:id>${id}</c:id>`))).to.equal(customerOf(answer));
      });

      it('answers VERSION_CONFLICT for a stale version and changes nothing', async () => {
        const { id } = await create(v);
        await call(server.soapUrl, v, 'UpdateCustomer', `<c:customer><c:id>${id}</c:id><c:type>PERSON</c:type><c:name>First</c:name><c:version>1</c:version></c:customer>`);
        const stale = await call(server.soapUrl, v, 'UpdateCustomer', `<c:customer><c:id>${id}</c:id><c:type>PERSON</c:type><c:name>Second</c:name><c:version>1</c:version></c:customer>`);
        expect(expectFault(stale, v, 'VERSION_CONFLICT').message).to.contain('version 2');
        const read = payloadOf(await call(server.soapUrl, v, 'GetCustomer', `<c:id>${id}</c:id>`));
        expect(text(read, 'c:customer/c:name')).to.equal('First');
        expect(text(read, 'c:customer/c:version')).to.equal('2');
      });

      it('answers NOT_FOUND for an unknown id', async () => {
        expectFault(await call(server.soapUrl, v, 'UpdateCustomer', '<c:customer><c:id>ghost</c:id><c:type>PERSON</c:type><c:name>X</c:name><c:version>1</c:version></c:customer>'), v, 'NOT_FOUND');
      });

      it('answers VALIDATION_FAILED without id or version', async () => {
        const f = expectFault(await call(server.soapUrl, v, 'UpdateCustomer', minimalCustomer()), v, 'VALIDATION_FAILED');
        expect(f.message).to.contain('customer/id and customer/version');
      });

      it("answers DUPLICATE_EXTERNAL_ID when taking another customer's externalId, and changes nothing", async () => {
        const a = await create(v);
        const b = await create(v);
        const answer = await call(server.soapUrl, v, 'UpdateCustomer', `<c:customer><c:id>${b.id}</c:id><c:externalId>${a.externalId}</c:externalId><c:type>PERSON</c:type><c:name>Thief</c:name><c:version>1</c:version></c:customer>`);
        expectFault(answer, v, 'DUPLICATE_EXTERNAL_ID');
        const read = payloadOf(await call(server.soapUrl, v, 'GetCustomer', `<c:id>${b.id}</c:id>`));
        expect(text(read, 'c:customer/c:externalId')).to.equal(b.externalId);
        expect(text(read, 'c:customer/c:version')).to.equal('1');
      });

      it('answers VALIDATION_FAILED for version 0 (the schema says >= 1)', async () => {
        const { id } = await create(v);
        expectFault(await call(server.soapUrl, v, 'UpdateCustomer', `<c:customer><c:id>${id}</c:id><c:type>PERSON</c:type><c:name>X</c:name><c:version>0</c:version></c:customer>`), v, 'VALIDATION_FAILED');
      });
    });
  }
});
