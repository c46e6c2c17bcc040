// The bench's node-soap baseline must speak the contract as crm-bridge does,
// or the ratios of `npm run bench` compare different work: every answer here
// is validated against the XSD (helpers/soap-client.ts), and the customer it
// answers is crm-bridge's, ids and timestamps aside.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { startBaseline, type BaselineServer } from '../../bench/baseline/baseline-app.js';
import { fullCustomer } from '../helpers/customers.js';
import { call, customerOf, envelope, faultOf, payloadOf, text } from '../helpers/soap-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The canonical customer (helpers/canonical.ts) without what the service assigns. */
function comparable(canonicalCustomer: string): string {
  return canonicalCustomer.replace(/<\{[^}]*\}(id|createdAt|updatedAt)>"[^"]*"<\/>/g, '');
}

const SOAP_PATH = '/soap/CustomerService';

for (const validate of [false, true]) {
  describe(`node-soap baseline of the bench${validate ? ', with libxmljs2 validation' : ''}`, () => {
    let dir: string;
    let baseline: BaselineServer;
    let crmBridge: TestServer;
    let url: string;
    before(async () => {
      dir = tempDir('crm-bridge-baseline-test-');
      baseline = await startBaseline({ dbFile: path.join(dir, 'baseline.db'), validate, contractDir: path.resolve('.') });
      url = baseline.url + SOAP_PATH;
      crmBridge = await startServer();
    });
    after(async () => {
      await baseline.close();
      await crmBridge.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('answers CreateCustomer and GetCustomer with the customer crm-bridge answers', async () => {
      const c = fullCustomer();
      const created = await call(url, '1.1', 'CreateCustomer', c.xml);
      expect(created.status, created.text).to.equal(200);
      const id = text(payloadOf(created), 'c:customer/c:id') ?? '';
      const read = await call(url, '1.1', 'GetCustomer', `<c:id>${id}</c:id>`);
      expect(customerOf(read)).to.equal(customerOf(created));
      const reference = await call(crmBridge.soapUrl, '1.1', 'CreateCustomer', c.xml);
      expect(comparable(customerOf(created))).to.equal(comparable(customerOf(reference)));
    });

    it('answers SearchCustomers by name substring: total, offset, the page ordered by id', async () => {
      const marker = `Needle-${validate ? 'v' : 'p'}`;
      for (let i = 0; i < 3; i++) await call(url, '1.1', 'CreateCustomer', `<c:customer><c:type>PERSON</c:type><c:name>${marker} ${i}</c:name></c:customer>`);
      const answer = await call(url, '1.1', 'SearchCustomers', `<c:name>${marker.toLowerCase()}</c:name><c:offset>1</c:offset><c:limit>1</c:limit>`);
      expect(answer.status, answer.text).to.equal(200);
      const payload = payloadOf(answer);
      expect(text(payload, 'c:total')).to.equal('3');
      expect(text(payload, 'c:offset')).to.equal('1');
      expect(payload.find('c:customer', { c: 'urn:crm-bridge:customer:v1' })).to.have.length(1);
    });

    it('answers a NOT_FOUND fault for an unknown id', async () => {
      const answer = await call(url, '1.1', 'GetCustomer', '<c:id>no-such-id</c:id>');
      expect(answer.status).to.equal(500);
      expect(faultOf(answer).code).to.equal('NOT_FOUND');
    });

    it(validate ? 'refuses a customer that fails the XSD with VALIDATION_FAILED' : 'stores a customer that fails the XSD (no validation)', async () => {
      const bad = '<c:customer><c:type>PERSON</c:type><c:name>Bad</c:name><c:email>not an e-mail</c:email></c:customer>';
      if (validate) {
        const answer = await call(url, '1.1', 'CreateCustomer', bad);
        expect(answer.status).to.equal(500);
        expect(faultOf(answer).code).to.equal('VALIDATION_FAILED');
      } else {
        // Its answer echoes the invalid e-mail, so it is read without the helper's schema check.
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:crm-bridge:customer:v1/CreateCustomer"' },
          body: envelope('1.1', `<c:CreateCustomer>${bad}</c:CreateCustomer>`),
        });
        expect(res.status).to.equal(200);
        expect(await res.text()).to.contain('<email>not an e-mail</email>');
      }
    });
  });
}
