// The SOAP endpoint itself: media types, limits, well-formedness, versions,
// headers and routing: every way a message can be wrong before an operation runs.
import { expect } from 'chai';
import { minimalCustomer } from '../helpers/customers.js';
import { call, envelope, expectFault, faultOf, payloadOf, postSoap, text, VERSIONS } from '../helpers/soap-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { NS } from '../../src/xml/namespaces.js';

const CREATE = `<c:CreateCustomer>${minimalCustomer()}</c:CreateCustomer>`;

describe('SOAP endpoint', () => {
  let server: TestServer;
  before(async () => { server = await startServer({ CRM_MAX_BODY_BYTES: '4096' }); });
  after(async () => { await server.close(); });

  describe('media type', () => {
    it('answers 415 UNSUPPORTED_MEDIA_TYPE, as a SOAP 1.1 fault, for another Content-Type', async () => {
      const answer = await postSoap(server.soapUrl, '1.1', envelope('1.1', CREATE), { contentType: 'application/json' });
      expect(answer.status).to.equal(415);
      expect(faultOf(answer).code).to.equal('UNSUPPORTED_MEDIA_TYPE');
    });
  });

  for (const v of VERSIONS) {
    describe(`SOAP ${v}`, () => {
      it('answers in the version asked, with its Content-Type', async () => {
        const answer = await postSoap(server.soapUrl, v, envelope(v, CREATE));
        expect(answer.status).to.equal(200);
        expect(answer.contentType).to.equal(v === '1.1' ? 'text/xml; charset=utf-8' : 'application/soap+xml; charset=utf-8');
        expect(answer.doc.root()?.namespace()?.href()).to.equal(v === '1.1' ? NS.soap11 : NS.soap12);
      });

      it('answers 413 PAYLOAD_TOO_LARGE for a body over the limit, before parsing it', async () => {
        const big = envelope(v, `<c:CreateCustomer>${minimalCustomer('x'.repeat(5000))}</c:CreateCustomer>`);
        const answer = await postSoap(server.soapUrl, v, big);
        expect(answer.status).to.equal(413);
        expect(faultOf(answer).code).to.equal('PAYLOAD_TOO_LARGE');
      });

      it('answers 413 for a chunked body that grows over the limit', async () => {
        const chunk = new TextEncoder().encode(`<!-- ${'y'.repeat(1000)} -->`);
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ < 10) controller.enqueue(chunk);
            else controller.close();
          },
        });
        const res = await fetch(server.soapUrl, {
          method: 'POST',
          headers: { 'content-type': v === '1.1' ? 'text/xml' : 'application/soap+xml' },
          body,
          duplex: 'half',
        } as RequestInit);
        expect(res.status).to.equal(413);
        expect(await res.text()).to.contain('PAYLOAD_TOO_LARGE');
      });

      it('answers MALFORMED_XML with line and column for XML that is not well-formed', async () => {
        const answer = await postSoap(server.soapUrl, v, envelope(v, '<c:CreateCustomer><c:customer></c:CreateCustomer>'));
        const f = expectFault(answer, v, 'MALFORMED_XML');
        // The first error is the cause; libxml2's follow-on errors come after it.
        expect(f.errors[0]).to.deep.include({ line: 4, column: 50 });
        expect(f.errors[0]?.message).to.contain('tag mismatch: customer');
        expect(f.message).to.contain('tag mismatch');
      });

      it('refuses a DOCTYPE (no XXE, no entity expansion) with MALFORMED_XML', async () => {
        const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${envelope(v, '<c:GetCustomer><c:id>&e;</c:id></c:GetCustomer>').replace(/^<\?xml[^>]*>/, '')}`;
        const answer = await postSoap(server.soapUrl, v, xxe);
        const f = expectFault(answer, v, 'MALFORMED_XML');
        expect(f.message).to.contain('DOCTYPE');
        expect(answer.text).to.not.contain('root:');
      });

      it('refuses a UTF-16 message with a DOCTYPE too', async () => {
        const xml = `<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${envelope(v, CREATE).replace(/^<\?xml[^>]*>/, '')}`;
        const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
        const f = expectFault(await postSoap(server.soapUrl, v, body), v, 'MALFORMED_XML');
        expect(f.message).to.contain('DOCTYPE');
      });

      it('accepts a UTF-16 message without a DOCTYPE', async () => {
        const xml = `<?xml version="1.0" encoding="UTF-16"?>${envelope(v, CREATE).replace(/^<\?xml[^>]*>/, '')}`;
        const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
        expect((await postSoap(server.soapUrl, v, body)).status).to.equal(200);
      });

      it('answers a VersionMismatch fault when the envelope is of the other SOAP version', async () => {
        const other = v === '1.1' ? '1.2' : '1.1';
        const answer = await postSoap(server.soapUrl, v, envelope(other, CREATE));
        expect(answer.status).to.equal(500);
        const f = faultOf(answer);
        expect(f.soapCode).to.equal('VersionMismatch');
        expect(f.code).to.equal('MALFORMED_XML');
        if (v === '1.2') expect(answer.text).to.contain('SupportedEnvelope');
      });

      it('answers a VersionMismatch fault for a root that is not a SOAP Envelope', async () => {
        const answer = await postSoap(server.soapUrl, v, `<c:CreateCustomer xmlns:c="${NS.crm}">${minimalCustomer()}</c:CreateCustomer>`);
        expect(faultOf(answer).soapCode).to.equal('VersionMismatch');
      });

      it('answers a MustUnderstand fault for a header block it does not understand', async () => {
        const mu = v === '1.1' ? 's:mustUnderstand="1"' : 's:mustUnderstand="true"';
        const answer = await postSoap(server.soapUrl, v, envelope(v, CREATE, `<x:Trace xmlns:x="urn:example:trace" ${mu}>1</x:Trace>`));
        expect(answer.status).to.equal(500);
        const f = faultOf(answer);
        expect(f.soapCode).to.equal('MustUnderstand');
        expect(f.message).to.contain('{urn:example:trace}Trace');
        if (v === '1.2') expect(answer.text).to.match(/NotUnderstood [^>]*qname="h0:Trace"/);
      });

      it('ignores header blocks that are optional or addressed to another role', async () => {
        const role = v === '1.1' ? 's:actor="urn:example:other"' : 's:role="urn:example:other"';
        const mu = v === '1.1' ? 's:mustUnderstand="1"' : 's:mustUnderstand="true"';
        const headers = `<x:Trace xmlns:x="urn:example:trace">1</x:Trace><x:Audit xmlns:x="urn:example:trace" ${mu} ${role}/>`;
        expect((await postSoap(server.soapUrl, v, envelope(v, CREATE, headers))).status).to.equal(200);
      });

      it('answers UNKNOWN_OPERATION for a payload that names no operation', async () => {
        const f = expectFault(await postSoap(server.soapUrl, v, envelope(v, '<c:PayInvoice/>')), v, 'UNKNOWN_OPERATION');
        expect(f.message).to.contain('PayInvoice');
      });

      it('answers UNKNOWN_OPERATION for an operation element outside the contract namespace', async () => {
        expectFault(await postSoap(server.soapUrl, v, envelope(v, `<CreateCustomer>${minimalCustomer()}</CreateCustomer>`)), v, 'UNKNOWN_OPERATION');
      });

      it('answers UNKNOWN_OPERATION when the action names another operation than the payload', async () => {
        const answer = await postSoap(server.soapUrl, v, envelope(v, CREATE), { action: `${NS.crm}/DeleteCustomer` });
        expect(expectFault(answer, v, 'UNKNOWN_OPERATION').message).to.contain('DeleteCustomer');
      });

      it('routes by the payload when the action is empty or absent', async () => {
        expect((await postSoap(server.soapUrl, v, envelope(v, CREATE), { action: '' })).status).to.equal(200);
        expect((await postSoap(server.soapUrl, v, envelope(v, CREATE))).status).to.equal(200);
      });

      it('answers VALIDATION_FAILED for a Body with two operation elements', async () => {
        expectFault(await postSoap(server.soapUrl, v, envelope(v, CREATE + CREATE)), v, 'VALIDATION_FAILED');
      });

      it('answers VALIDATION_FAILED for an empty Body', async () => {
        expectFault(await postSoap(server.soapUrl, v, envelope(v, '')), v, 'VALIDATION_FAILED');
      });
    });
  }

  describe('internal errors', () => {
    let broken: TestServer;
    before(async () => { broken = await startServer(); });
    after(async () => { await broken.close(); });

    for (const v of VERSIONS) {
      it(`answers INTERNAL (${v}) with a request id that is in the log, and no stack or internal message`, async () => {
        broken.db.close();
        const answer = await call(broken.soapUrl, v, 'GetCustomer', '<c:id>x</c:id>');
        const f = expectFault(answer, v, 'INTERNAL', 'Server');
        const requestId = /request id ([\w-]+)/.exec(f.message)?.[1];
        expect(requestId).to.be.a('string');
        expect(answer.text).to.not.match(/database|at \w+ \(|\.js:\d+/);
        const logged = broken.logs.find((l) => l['requestId'] === requestId);
        expect(logged?.['err']).to.exist;
      });
    }
  });

  describe('HTTP surface', () => {
    it('echoes a request id on every answer', async () => {
      const res = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'abc-123' } });
      expect(res.headers.get('x-request-id')).to.equal('abc-123');
    });

    it('answers GET /health', async () => {
      const res = await fetch(`${server.url}/health`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ status: 'ok' });
    });

    it('answers GET /metrics in the Prometheus text format, counting SOAP requests', async () => {
      await call(server.soapUrl, '1.1', 'GetCustomer', '<c:id>nope</c:id>');
      const res = await fetch(`${server.url}/metrics`);
      expect(res.headers.get('content-type')).to.contain('text/plain');
      expect(await res.text()).to.match(/crm_requests_total\{channel="soap",operation="GetCustomer",outcome="NOT_FOUND"\} \d+/);
    });

    it('answers 405 with Allow for another method on the endpoint', async () => {
      const res = await fetch(server.soapUrl, { method: 'PUT' });
      expect(res.status).to.equal(405);
      expect(res.headers.get('allow')).to.equal('GET, POST');
    });

    it('answers 405 with Allow for another method on /health and /metrics, as on every known path', async () => {
      for (const where of ['/health', '/metrics']) {
        for (const method of ['POST', 'PUT', 'DELETE']) {
          const res = await fetch(`${server.url}${where}`, { method });
          expect(res.status, `${method} ${where}`).to.equal(405);
          expect(res.headers.get('allow'), `${method} ${where}`).to.equal('GET');
        }
      }
    });

    it('answers a 404 ServiceFault for an unknown path', async () => {
      const res = await fetch(`${server.url}/nowhere`);
      expect(res.status).to.equal(404);
      expect(await res.text()).to.contain('<code>NOT_FOUND</code>');
    });
  });

  it('keeps answering after every fault above', async () => {
    const answer = await call(server.soapUrl, '1.2', 'CreateCustomer', minimalCustomer());
    expect(text(payloadOf(answer), 'c:customer/c:version')).to.equal('1');
  });
});
