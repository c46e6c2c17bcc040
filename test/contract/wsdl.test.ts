// The served contract: the WSDL and everything it references, fetched over HTTP
// as a client generator would, compiled, and checked against the operation table.
import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import libxml from 'libxmljs2';
import type { Document, Element } from 'libxmljs2';
import { OPERATIONS } from '../../src/dispatch/operation-table.js';
import { NS } from '../../src/xml/namespaces.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { tempDir } from '../helpers/temp-dir.js';

const Q = {
  wsdl: NS.wsdl,
  soap: 'http://schemas.xmlsoap.org/wsdl/soap/',
  soap12: 'http://schemas.xmlsoap.org/wsdl/soap12/',
  xs: NS.xsd,
};

// node:http rather than fetch, which may not set Host.
function getXml(url: string, headers: Record<string, string> = {}): Promise<Document> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          expect(res.statusCode, url).to.equal(200);
          expect(res.headers['content-type']).to.contain('xml');
          resolve(libxml.parseXml(Buffer.concat(chunks).toString('utf8')));
        } catch (err) {
          reject(err);
        }
      });
    }).on('error', reject);
  });
}

function attr(el: Element, name: string): string {
  return el.attr(name)?.value() ?? '';
}

describe('WSDL and schema (GET ?wsdl, ?xsd=)', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  it('advertises both ports at the address the client asked on', async () => {
    const wsdl = await getXml(`${server.soapUrl}?wsdl`);
    const addresses = wsdl.find<Element>('//soap:address | //soap12:address', Q).map((a) => attr(a, 'location'));
    expect(addresses).to.deep.equal([server.soapUrl, server.soapUrl]);
    const ports = wsdl.find<Element>('//wsdl:service[@name="CustomerService"]/wsdl:port', Q).map((p) => attr(p, 'name'));
    expect(ports).to.deep.equal(['CustomerServiceSoap', 'CustomerServiceSoap12']);
  });

  it('uses the Host header, then X-Forwarded-Proto/-Host from a proxy', async () => {
    const direct = await getXml(`${server.soapUrl}?wsdl`, { host: 'crm.example.com:9000' });
    expect(attr(direct.get<Element>('//soap:address', Q) as Element, 'location')).to.equal('http://crm.example.com:9000/soap/CustomerService');
    const proxied = await getXml(`${server.soapUrl}?wsdl`, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' });
    expect(attr(proxied.get<Element>('//soap12:address', Q) as Element, 'location')).to.equal('https://api.example.com/soap/CustomerService');
    const schemaLocation = attr(proxied.get<Element>('//xs:import', Q) as Element, 'schemaLocation');
    expect(schemaLocation).to.equal('https://api.example.com/soap/CustomerService?xsd=customer.xsd');
  });

  it('ignores a Host header that is not a host name', async () => {
    const wsdl = await getXml(`${server.soapUrl}?wsdl`, { 'x-forwarded-host': 'evil"><x' });
    expect(attr(wsdl.get<Element>('//soap:address', Q) as Element, 'location')).to.match(/^http:\/\/127\.0\.0\.1:\d+\/soap\/CustomerService$/);
  });

  it('uses the configured public URL when there is one', async () => {
    const configured = await startServer({ CRM_PUBLIC_URL: 'https://crm.corp.example/' });
    try {
      const wsdl = await getXml(`${configured.soapUrl}?wsdl`, { host: 'ignored.example' });
      expect(attr(wsdl.get<Element>('//soap:address', Q) as Element, 'location')).to.equal('https://crm.corp.example/soap/CustomerService');
    } finally {
      await configured.close();
    }
  });

  it('resolves every schemaLocation over HTTP, and the schemas compile', async () => {
    const wsdl = await getXml(`${server.soapUrl}?wsdl`);
    const dir = tempDir('crm-wsdl-');
    const imports = wsdl.find<Element>('//xs:import[@schemaLocation] | //xs:include[@schemaLocation]', Q);
    expect(imports).to.have.length.greaterThan(0);
    for (const imp of imports) {
      const schema = await getXml(attr(imp, 'schemaLocation'));
      expect(schema.root()?.name()).to.equal('schema');
      expect(attr(schema.root() as Element, 'targetNamespace')).to.equal(attr(imp, 'namespace'));
      // The schema itself imports nothing more that would need resolving.
      expect(schema.find('//xs:import[@schemaLocation] | //xs:include', Q)).to.deep.equal([]);
      fs.writeFileSync(path.join(dir, 'customer.xsd'), schema.toString());
    }
    const compiled = libxml.parseXml(fs.readFileSync(path.join(dir, 'customer.xsd'), 'utf8'));
    const good = libxml.parseXml(`<GetCustomer xmlns="${NS.crm}"><id>1</id></GetCustomer>`);
    expect(good.validate(compiled), JSON.stringify(good.validationErrors)).to.equal(true);
    // Every element a message part names is declared in the schema.
    const declared = new Set(compiled.find<Element>('/xs:schema/xs:element', Q).map((e) => attr(e, 'name')));
    for (const part of wsdl.find<Element>('//wsdl:message/wsdl:part', Q)) {
      expect(declared, attr(part, 'element')).to.include(attr(part, 'element').replace(/^tns:/, ''));
    }
  });

  it('answers 404 for a schema it does not have', async () => {
    const res = await fetch(`${server.soapUrl}?xsd=../../etc/passwd`);
    expect(res.status).to.equal(404);
    expect(await res.text()).to.contain('NOT_FOUND');
  });

  it('is document/literal wrapped, with the contract SOAPAction and a ServiceFault on every operation of both bindings', async () => {
    const wsdl = await getXml(`${server.soapUrl}?wsdl`);
    for (const binding of wsdl.find<Element>('//wsdl:binding', Q)) {
      const soapNs = attr(binding, 'name') === 'CustomerServiceSoap12' ? 'soap12' : 'soap';
      expect(attr(binding.get<Element>(`${soapNs}:binding`, Q) as Element, 'style')).to.equal('document');
      for (const op of binding.find<Element>('wsdl:operation', Q)) {
        const name = attr(op, 'name');
        expect(attr(op.get<Element>(`${soapNs}:operation`, Q) as Element, 'soapAction')).to.equal(`${NS.crm}/${name}`);
        for (const body of op.find<Element>(`.//${soapNs}:body`, Q)) expect(attr(body, 'use')).to.equal('literal');
        expect(attr(op.get<Element>(`wsdl:fault/${soapNs}:fault`, Q) as Element, 'name')).to.equal('ServiceFault');
      }
    }
    for (const op of wsdl.find<Element>('//wsdl:portType/wsdl:operation', Q)) {
      const name = attr(op, 'name');
      const input = attr(op.get<Element>('wsdl:input', Q) as Element, 'message').replace(/^tns:/, '');
      const part = wsdl.get<Element>(`//wsdl:message[@name="${input}"]/wsdl:part`, Q) as Element;
      // Wrapped convention: one part named "parameters" whose element is named after the operation.
      expect(attr(part, 'name')).to.equal('parameters');
      expect(attr(part, 'element')).to.equal(`tns:${name}`);
    }
  });

  it('declares exactly the operations of the operation table', async () => {
    const wsdl = await getXml(`${server.soapUrl}?wsdl`);
    const declared = wsdl.find<Element>('//wsdl:portType/wsdl:operation', Q).map((o) => attr(o, 'name')).sort();
    expect(declared).to.deep.equal([...OPERATIONS.keys()].sort());
    expect(declared).to.have.length(7);
  });
});
