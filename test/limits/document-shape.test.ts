// Limits on a document's shape (CRM_MAX_DEPTH, CRM_MAX_ATTRIBUTES,
// CRM_MAX_TEXT_CHARS) on every channel: SOAP 1.1 and 1.2, /xml, a streamed
// batch over HTTP, SOAP UpsertCustomers, crm-bridge import and the drop
// folder. A breach is PAYLOAD_TOO_LARGE naming the limit and where, never
// INTERNAL, and nothing of the request is stored.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { NS } from '../../src/xml/namespaces.js';
import { customerByExternalId } from '../helpers/store.js';
import { call, envelope, faultOf, postSoap, VERSIONS, type SoapAnswer, type Version } from '../helpers/soap-client.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { customerDoc, expectServiceFault, sendXml } from '../helpers/xml-client.js';

const MAIN = path.resolve('dist/src/main.js');

const nested = (depth: number): string => `${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}`;
const attributes = (n: number): string => Array.from({ length: n }, (_, i) => ` a${i}="${i}"`).join('');
const person = (ext: string, inner = '', attrs = ''): string =>
  `<customer${attrs}><externalId>${ext}</externalId><type>PERSON</type><name>Person ${ext}</name>${inner}</customer>`;
const batchDoc = (records: string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<CustomerBatch xmlns="${NS.crm}">\n${records.join('\n')}\n</CustomerBatch>\n`;

/** A SOAP fault PAYLOAD_TOO_LARGE (413, as for the body limit: a refusal before any SOAP processing), Client/Sender. */
function expectTooLarge(answer: SoapAnswer, version: Version, limit: string): void {
  const fault = faultOf(answer);
  expect(fault.code, answer.text).to.equal('PAYLOAD_TOO_LARGE');
  expect(fault.soapCode).to.equal(version === '1.1' ? 'Client' : 'Sender');
  expect(answer.status).to.equal(413);
  expect(fault.message).to.contain(limit);
}

describe('document shape limits', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  for (const version of VERSIONS) {
    describe(`SOAP ${version}`, () => {
      it('refuses a header nested deeper than CRM_MAX_DEPTH (64) with PAYLOAD_TOO_LARGE, storing nothing', async () => {
        const body = envelope(version, `<c:CreateCustomer><c:customer><c:externalId>DEEP-${version}</c:externalId><c:type>PERSON</c:type><c:name>Deep</c:name></c:customer></c:CreateCustomer>`,
          `<h:Trace xmlns:h="urn:example:trace">${nested(62)}</h:Trace>`);
        // Envelope, Header, Trace and 62 levels: 65.
        expectTooLarge(await postSoap(server.soapUrl, version, body, { action: `${NS.crm}/CreateCustomer` }), version, 'CRM_MAX_DEPTH');
        expect(await customerByExternalId(server.store, `DEEP-${version}`)).to.equal(undefined);
        // One level less is served (the unknown header block is not mustUnderstand).
        const fits = envelope(version, `<c:CreateCustomer><c:customer><c:externalId>FITS-${version}</c:externalId><c:type>PERSON</c:type><c:name>Fits</c:name></c:customer></c:CreateCustomer>`,
          `<h:Trace xmlns:h="urn:example:trace">${nested(61)}</h:Trace>`);
        expect((await postSoap(server.soapUrl, version, fits, { action: `${NS.crm}/CreateCustomer` })).status).to.equal(200);
      });

      it('refuses a start tag with more than CRM_MAX_ATTRIBUTES (64) attributes, and a text longer than CRM_MAX_TEXT_CHARS (65536)', async () => {
        expectTooLarge(await call(server.soapUrl, version, 'CreateCustomer', `<c:customer${attributes(65)}><c:externalId>ATTR-${version}</c:externalId><c:type>PERSON</c:type><c:name>A</c:name></c:customer>`), version, 'CRM_MAX_ATTRIBUTES');
        // Without the limit this would be VALIDATION_FAILED (name is 1..200): the limit answers first, and says so.
        expectTooLarge(await call(server.soapUrl, version, 'CreateCustomer', `<c:customer><c:type>PERSON</c:type><c:name>${'n'.repeat(65_537)}</c:name></c:customer>`), version, 'CRM_MAX_TEXT_CHARS');
        expect(await customerByExternalId(server.store, `ATTR-${version}`)).to.equal(undefined);
      });

      it('refuses an UpsertCustomers with one record beyond the limits as a whole: nothing stored', async () => {
        const records = [`<c:customer><c:externalId>UP-${version}-1</c:externalId><c:type>PERSON</c:type><c:name>One</c:name></c:customer>`,
          `<c:customer><c:externalId>UP-${version}-2</c:externalId><c:type>PERSON</c:type><c:name x="${'v'.repeat(70_000)}">Two</c:name></c:customer>`];
        expectTooLarge(await call(server.soapUrl, version, 'UpsertCustomers', records.join('')), version, 'CRM_MAX_TEXT_CHARS');
        expect(await customerByExternalId(server.store, `UP-${version}-1`)).to.equal(undefined);
      });
    });
  }

  describe('POST /xml/customers', () => {
    it('answers 413 PAYLOAD_TOO_LARGE for each limit, naming where, storing nothing', async () => {
      const deep = await sendXml(`${server.url}/xml/customers`, 'POST', customerDoc(`<type>PERSON</type><name>X</name><externalId>XD</externalId>${nested(64)}`));
      expect(expectServiceFault(deep, 413, 'PAYLOAD_TOO_LARGE').message).to.match(/deeper than 64 levels at line 2, column \d+ .*CRM_MAX_DEPTH/);
      const wide = await sendXml(`${server.url}/xml/customers`, 'POST', customerDoc(`<type${attributes(65)}>PERSON</type><name>X</name>`));
      expect(expectServiceFault(wide, 413, 'PAYLOAD_TOO_LARGE').message).to.contain('CRM_MAX_ATTRIBUTES');
      const long = await sendXml(`${server.url}/xml/customers`, 'POST', customerDoc(`<type>PERSON</type><name>X</name><!--${'c'.repeat(65_537)}-->`));
      expect(expectServiceFault(long, 413, 'PAYLOAD_TOO_LARGE').message).to.contain('CRM_MAX_TEXT_CHARS');
      expect(await customerByExternalId(server.store, 'XD')).to.equal(undefined);
    });

    it('answers PAYLOAD_TOO_LARGE, not MALFORMED_XML, past libxml2\'s own depth cap (256)', async () => {
      const answer = await sendXml(`${server.url}/xml/customers`, 'POST', customerDoc(`<type>PERSON</type>${nested(300)}`));
      expectServiceFault(answer, 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('POST /xml/batches', () => {
    it('refuses a batch whose 3rd record is too deep in pass 1: the records before it are not stored either', async () => {
      const body = batchDoc([person('B-1'), person('B-2'), person('B-3', `<addresses>${nested(70)}</addresses>`), person('B-4')]);
      const fault = expectServiceFault(await sendXml(`${server.url}/xml/batches`, 'POST', body), 413, 'PAYLOAD_TOO_LARGE');
      expect(fault.message).to.match(/deeper than 64 levels at line 5, column \d+/);
      expect(await customerByExternalId(server.store, 'B-1')).to.equal(undefined);
    });

    it('refuses a root or a record tag with too many attributes, and a record with too long a text', async () => {
      const root = `<?xml version="1.0"?>\n<CustomerBatch xmlns="${NS.crm}"${attributes(65)}>\n${person('R-1')}\n</CustomerBatch>`;
      expect(expectServiceFault(await sendXml(`${server.url}/xml/batches`, 'POST', root), 413, 'PAYLOAD_TOO_LARGE').message).to.contain('CRM_MAX_ATTRIBUTES');
      const record = batchDoc([person('R-2', '', attributes(65))]);
      expect(expectServiceFault(await sendXml(`${server.url}/xml/batches`, 'POST', record), 413, 'PAYLOAD_TOO_LARGE').message).to.contain('CRM_MAX_ATTRIBUTES');
      const text = batchDoc([person('R-3'), `<customer><externalId>R-4</externalId><type>PERSON</type><name><![CDATA[${'t'.repeat(65_537)}]]></name></customer>`]);
      expect(expectServiceFault(await sendXml(`${server.url}/xml/batches`, 'POST', text), 413, 'PAYLOAD_TOO_LARGE').message).to.contain('CRM_MAX_TEXT_CHARS');
      expect(await customerByExternalId(server.store, 'R-3')).to.equal(undefined);
    });
  });

  describe('settings', () => {
    it('follows CRM_MAX_TEXT_CHARS and CRM_MAX_DEPTH as configured', async () => {
      const strict = await startServer({ CRM_MAX_TEXT_CHARS: '1024', CRM_MAX_DEPTH: '8' });
      try {
        // 1,100 characters: VALIDATION_FAILED by the default limit (the XSD's 200), PAYLOAD_TOO_LARGE by this one.
        const name = `<type>PERSON</type><name>${'n'.repeat(1100)}</name>`;
        expectServiceFault(await sendXml(`${server.url}/xml/customers`, 'POST', customerDoc(name)), 400, 'VALIDATION_FAILED');
        expectServiceFault(await sendXml(`${strict.url}/xml/customers`, 'POST', customerDoc(name)), 413, 'PAYLOAD_TOO_LARGE');
        // SOAP: Envelope, Body, CreateCustomer, customer, addresses, address, line1 = 7 levels; a trace header of 9 is refused.
        expectTooLarge(await postSoap(strict.soapUrl, '1.1', envelope('1.1', '<c:GetCustomer><c:id>x</c:id></c:GetCustomer>', `<h:T xmlns:h="urn:t">${nested(7)}</h:T>`)), '1.1', 'deeper than 8 levels');
        const full = `<c:customer><c:type>PERSON</c:type><c:name>Eight</c:name><c:addresses><c:address type="BILLING"><c:line1>L</c:line1><c:city>C</c:city><c:country>DE</c:country></c:address></c:addresses></c:customer>`;
        expect((await call(strict.soapUrl, '1.2', 'CreateCustomer', full)).status).to.equal(200);
      } finally {
        await strict.close();
      }
    });
  });

  describe('crm-bridge import', () => {
    it('exits 2 (refused) with a PAYLOAD_TOO_LARGE report for a record beyond CRM_MAX_TEXT_CHARS, storing nothing', async () => {
      const dir = tempDir('crm-shape-cli-');
      const file = path.join(dir, 'long.xml');
      fs.writeFileSync(file, batchDoc([person('C-1'), person('C-2', `<email>${'e'.repeat(2000)}</email>`)]));
      const run = await promisify(execFile)(process.execPath, [MAIN, 'import', file], { env: { ...process.env, CRM_DATA_DIR: dir, CRM_LOG_LEVEL: 'warn', CRM_MAX_TEXT_CHARS: '1024' } })
        .then(() => ({ status: 0, stderr: '' }), (err: { code: number; stderr: string }) => ({ status: err.code, stderr: err.stderr }));
      expect(run.status, run.stderr).to.equal(2);
      expect(run.stderr).to.contain('longer than 1024 characters at line 4');
      expect(fs.readFileSync(`${file}.report.xml`, 'utf8')).to.contain('<code>PAYLOAD_TOO_LARGE</code>');
    });
  });

  describe('the drop folder', () => {
    it('moves a file with a record beyond CRM_MAX_ATTRIBUTES to error/ with a PAYLOAD_TOO_LARGE report, storing nothing', async () => {
      const folderServer = await startServer({ CRM_EXCHANGE_STABLE_MS: '0', CRM_MAX_ATTRIBUTES: '8' }, { dropFolder: {} });
      try {
        const exchange = folderServer.config.exchangeDir ?? '';
        fs.writeFileSync(path.join(exchange, 'inbox', 'wide.xml'), batchDoc([person('F-1'), person('F-2', '', attributes(9))]));
        await folderServer.dropFolder?.poll();
        expect((await folderServer.dropFolder?.poll())?.get('wide.xml')).to.equal('unreadable');
        const report = fs.readFileSync(path.join(exchange, 'outbox', 'wide.xml.report.xml'), 'utf8');
        expect(report).to.contain('<code>PAYLOAD_TOO_LARGE</code>').and.contain('more than 8 attributes at line 4');
        expect(await customerByExternalId(folderServer.store, 'F-1')).to.equal(undefined);
      } finally {
        await folderServer.close();
      }
    });
  });
});
