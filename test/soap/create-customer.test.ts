import { expect } from 'chai';
import libxml from 'libxmljs2';
import type { Element } from 'libxmljs2';
import { canonical } from '../helpers/canonical.js';
import { fullCustomer, minimalCustomer } from '../helpers/customers.js';
import { call, expectFault, payloadOf, text, VERSIONS } from '../helpers/soap-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { NS } from '../../src/xml/namespaces.js';

const SERVER_ASSIGNED = ['id', 'version', 'createdAt', 'updatedAt'];

describe('CreateCustomer', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  for (const v of VERSIONS) {
    describe(`SOAP ${v}`, () => {
      it('stores every field, address and contact as sent, in order, with id, version 1 and UTC timestamps', async () => {
        const { xml } = fullCustomer();
        const answer = await call(server.soapUrl, v, 'CreateCustomer', xml);
        expect(answer.status).to.equal(200);
        const customer = payloadOf(answer).get<Element>('c:customer', { c: NS.crm }) as Element;
        const sent = libxml.parseXml(`<c:x xmlns:c="${NS.crm}">${xml}</c:x>`).get<Element>('c:customer', { c: NS.crm }) as Element;
        expect(canonical(customer, SERVER_ASSIGNED)).to.equal(canonical(sent, SERVER_ASSIGNED));
        expect(text(customer, 'c:id')).to.match(/^[0-9a-f-]{36}$/);
        expect(text(customer, 'c:version')).to.equal('1');
        const created = text(customer, 'c:createdAt') ?? '';
        expect(created).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(text(customer, 'c:updatedAt')).to.equal(created);
      });

      it('defaults status to ACTIVE and keeps absent wrappers absent', async () => {
        const answer = await call(server.soapUrl, v, 'CreateCustomer', minimalCustomer());
        const customer = payloadOf(answer);
        expect(text(customer, 'c:customer/c:status')).to.equal('ACTIVE');
        expect(customer.get('c:customer/c:addresses', { c: NS.crm })).to.not.exist;
        expect(customer.get('c:customer/c:contacts', { c: NS.crm })).to.not.exist;
      });

      it('keeps empty optional elements empty rather than dropping them', async () => {
        const answer = await call(server.soapUrl, v, 'CreateCustomer',
          '<c:customer><c:type>PERSON</c:type><c:name> padded </c:name><c:phone></c:phone><c:addresses/><c:contacts/></c:customer>');
        const customer = payloadOf(answer);
        expect(text(customer, 'c:customer/c:phone')).to.equal('');
        expect(text(customer, 'c:customer/c:name')).to.equal(' padded ');
        expect(customer.get('c:customer/c:addresses', { c: NS.crm })).to.exist;
        expect(customer.get('c:customer/c:contacts', { c: NS.crm })).to.exist;
      });

      it('answers DUPLICATE_EXTERNAL_ID when the externalId is taken, and stores nothing', async () => {
        const { xml, externalId } = fullCustomer();
        await call(server.soapUrl, v, 'CreateCustomer', xml);
        const again = await call(server.soapUrl, v, 'CreateCustomer', xml.replace('<c:name>', '<c:name>Other '));
        expectFault(again, v, 'DUPLICATE_EXTERNAL_ID');
        const stored = await call(server.soapUrl, v, 'GetCustomer', `<c:externalId>${externalId}</c:externalId>`);
        expect(text(payloadOf(stored), 'c:customer/c:name')).to.not.match(/^Other/);
      });

      it('answers VALIDATION_FAILED when the client sends an id', async () => {
        const answer = await call(server.soapUrl, v, 'CreateCustomer',
          '<c:customer><c:id>mine</c:id><c:type>PERSON</c:type><c:name>X</c:name></c:customer>');
        expect(expectFault(answer, v, 'VALIDATION_FAILED').message).to.contain('id');
      });

      it('answers VALIDATION_FAILED listing every schema error with line and column', async () => {
        const answer = await call(server.soapUrl, v, 'CreateCustomer', `<c:customer>
<c:type>ROBOT</c:type>
<c:name>X</c:name>
<c:email>not-an-email</c:email>
<c:addresses><c:address type="HOME"><c:line1>a</c:line1><c:city>b</c:city><c:country>de</c:country></c:address></c:addresses>
</c:customer>`);
        const f = expectFault(answer, v, 'VALIDATION_FAILED');
        // The envelope helper puts the payload on line 4, so the customer's children start on line 5.
        expect(f.errors.map((e) => [e.line, e.column])).to.deep.equal([
          [5, 1],
          [7, 1],
          [8, 14],
          [8, 75],
        ]);
        expect(f.errors[0]?.message).to.contain("'ROBOT'");
        expect(f.errors[2]?.message).to.contain('HOME');
        expect(f.errors[3]?.message).to.contain('[A-Z]{2}');
      });

      it('refuses a customer without the required name', async () => {
        const answer = await call(server.soapUrl, v, 'CreateCustomer', '<c:customer><c:type>PERSON</c:type></c:customer>');
        const f = expectFault(answer, v, 'VALIDATION_FAILED');
        expect(f.errors[0]?.message).to.contain('name');
      });
    });
  }
});
