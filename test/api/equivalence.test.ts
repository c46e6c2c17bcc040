// Issue 18, "one set of rules": one corpus of customers, made from the XSD's
// facets (helpers/contract-corpus.ts), sent as JSON to POST /api/customers
// and as XML to POST /xml/customers, each on a real server of its own (so an
// externalId stored by one does not collide with the other's). Every case
// must get the same decision on both, and the decision the XSD's facets say;
// a refusal on /api must point at the member (JSON Pointer).
import { expect } from 'chai';
import { contractModel } from '../../src/validation/json-validator.js';
import { customerCorpus, customerXml } from '../helpers/contract-corpus.js';
import { startServer, type TestServer } from '../helpers/test-server.js';

describe('one set of rules: POST /api/customers and POST /xml/customers decide alike', () => {
  const model = contractModel();
  const corpus = customerCorpus(model);
  let xmlServer: TestServer;
  let apiServer: TestServer;
  before(async () => { [xmlServer, apiServer] = await Promise.all([startServer(), startServer()]); });
  after(async () => { await Promise.all([xmlServer.close(), apiServer.close()]); });

  it('covers every bound of every facet of Customer, Address and Contact (over 150 cases, both decisions)', () => {
    expect(corpus.length).to.be.greaterThan(150);
    expect(corpus.filter((c) => c.valid).length).to.be.greaterThan(40);
    expect(corpus.filter((c) => !c.valid).length).to.be.greaterThan(60);
  });

  for (const c of corpus) {
    it(`${c.valid ? 'accepts' : 'refuses'} ${c.name}`, async () => {
      const [xml, api] = await Promise.all([
        fetch(`${xmlServer.url}/xml/customers`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: customerXml(model, c.json) }),
        fetch(`${apiServer.url}/api/customers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.json) }),
      ]);
      const [xmlText, apiText] = [await xml.text(), await api.text()];
      const expected = c.valid ? 201 : 400;
      expect(xml.status, `/xml: ${xmlText}`).to.equal(expected);
      expect(api.status, `/api: ${apiText}`).to.equal(expected);
      if (!c.valid) {
        expect(xmlText).to.contain('<code>VALIDATION_FAILED</code>');
        const body = JSON.parse(apiText) as { code: string; errors: { path: string }[] };
        expect(body.code).to.equal('VALIDATION_FAILED');
        expect(body.errors.map((e) => e.path)).to.include(c.path);
      }
    });
  }
});
