// Raw HTTP for the /xml resources: every XML answer is parsed and checked
// against the XSD, as soap-client.ts does for SOAP.
import { expect } from 'chai';
import libxml from 'libxmljs2';
import type { Document, Element } from 'libxmljs2';
import { XsdValidator } from '../../src/validation/xsd-validator.js';
import { NS } from '../../src/xml/namespaces.js';
import { parseXml } from '../../src/xml/parse-xml.js';

const validator = new XsdValidator();
const Q = { c: NS.crm };

export interface XmlAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly doc: Document | undefined;
}

export async function request(url: string, init: RequestInit = {}): Promise<XmlAnswer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let doc: Document | undefined;
  if (text.startsWith('<?xml') || text.startsWith('<')) {
    const checked = parseXml(Buffer.from(text));
    try {
      expect(validator.validate(checked.root, Buffer.from(text)), `answer fails the schema:\n${text}`).to.deep.equal([]);
    } finally {
      checked.dispose();
    }
    doc = libxml.parseXml(text);
  }
  return { status: res.status, headers: res.headers, text, doc };
}

export function sendXml(url: string, method: string, body: string, headers: Record<string, string> = {}): Promise<XmlAnswer> {
  return request(url, { method, body, headers: { 'content-type': 'application/xml', ...headers } });
}

export function customerDoc(inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Customer xmlns="${NS.crm}">${inner}</Customer>`;
}

export function field(answer: XmlAnswer, xpath: string): string | undefined {
  const node = answer.doc?.get<Element>(xpath, Q);
  return node ? node.text() : undefined;
}

export function attr(answer: XmlAnswer, name: string): string | undefined {
  return answer.doc?.root()?.attr(name)?.value() ?? undefined;
}

export function expectServiceFault(answer: XmlAnswer, status: number, code: string): { message: string; errors: { line: number; column: number; message: string }[] } {
  expect(answer.status, answer.text).to.equal(status);
  expect(answer.headers.get('content-type')).to.contain('application/xml');
  expect(answer.doc?.root()?.name()).to.equal('ServiceFault');
  expect(field(answer, '/c:ServiceFault/c:code')).to.equal(code);
  return {
    message: field(answer, '/c:ServiceFault/c:message') ?? '',
    errors: (answer.doc?.find<Element>('/c:ServiceFault/c:error', Q) ?? []).map((e) => ({
      line: Number(e.get<Element>('c:line', Q)?.text()),
      column: Number(e.get<Element>('c:column', Q)?.text()),
      message: e.get<Element>('c:message', Q)?.text() ?? '',
    })),
  };
}
