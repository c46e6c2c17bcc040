import { expect } from 'chai';
import { fullCustomer } from '../helpers/customers.js';
import { call, expectFault, payloadOf, text, VERSIONS } from '../helpers/soap-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';

describe('DeleteCustomer', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  for (const v of VERSIONS) {
    describe(`SOAP ${v}`, () => {
      it('deletes the customer and answers its id; it is gone afterwards, externalId free again', async () => {
        const c = fullCustomer();
        const id = text(payloadOf(await call(server.soapUrl, v, 'CreateCustomer', c.xml)), 'c:customer/c:id') ?? '';
        const answer = await call(server.soapUrl, v, 'DeleteCustomer', `<c:id>${id}</c:id>`);
        expect(answer.status).to.equal(200);
        expect(payloadOf(answer).name()).to.equal('DeleteCustomerResponse');
        expect(text(payloadOf(answer), 'c:id')).to.equal(id);
        expectFault(await call(server.soapUrl, v, 'GetCustomer', `<c:id>${id}</c:id>`), v, 'NOT_FOUND');
        const again = await call(server.soapUrl, v, 'CreateCustomer', c.xml);
        expect(again.status).to.equal(200);
      });

      it('answers NOT_FOUND for an unknown id, and for a second delete', async () => {
        expectFault(await call(server.soapUrl, v, 'DeleteCustomer', '<c:id>never-existed</c:id>'), v, 'NOT_FOUND');
      });
    });
  }
});
