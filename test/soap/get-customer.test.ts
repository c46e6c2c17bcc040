import { expect } from 'chai';
import { customerOf } from '../helpers/soap-client.js';
import { fullCustomer } from '../helpers/customers.js';
import { call, expectFault, payloadOf, text, VERSIONS } from '../helpers/soap-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';

describe('GetCustomer', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  for (const v of VERSIONS) {
    describe(`SOAP ${v}`, () => {
      let id: string;
      let externalId: string;
      let created: string;
      before(async () => {
        const c = fullCustomer();
        externalId = c.externalId;
        const answer = await call(server.soapUrl, v, 'CreateCustomer', c.xml);
        created = customerOf(answer);
        id = text(payloadOf(answer), 'c:customer/c:id') ?? '';
      });

      it('reads a customer by id, exactly as CreateCustomer answered it', async () => {
        const answer = await call(server.soapUrl, v, 'GetCustomer', `<c:id>${id}</c:id>`);
        expect(answer.status).to.equal(200);
        expect(payloadOf(answer).name()).to.equal('GetCustomerResponse');
        expect(customerOf(answer)).to.equal(created);
      });

      it('reads a customer by externalId', async () => {
        const answer = await call(server.soapUrl, v, 'GetCustomer', `<c:externalId>${externalId}</c:externalId>`);
        expect(text(payloadOf(answer), 'c:customer/c:id')).to.equal(id);
      });

      it('answers NOT_FOUND for an unknown id', async () => {
        const f = expectFault(await call(server.soapUrl, v, 'GetCustomer', '<c:id>no-such-id</c:id>'), v, 'NOT_FOUND');
        expect(f.message).to.contain('no-such-id');
      });

      it('answers NOT_FOUND for an unknown externalId', async () => {
        expectFault(await call(server.soapUrl, v, 'GetCustomer', '<c:externalId>nobody</c:externalId>'), v, 'NOT_FOUND');
      });

      it('answers VALIDATION_FAILED for both id and externalId (an xs:choice)', async () => {
        expectFault(await call(server.soapUrl, v, 'GetCustomer', `<c:id>${id}</c:id><c:externalId>${externalId}</c:externalId>`), v, 'VALIDATION_FAILED');
      });

      it('answers VALIDATION_FAILED for an empty request', async () => {
        expectFault(await call(server.soapUrl, v, 'GetCustomer', ''), v, 'VALIDATION_FAILED');
      });
    });
  }
});
