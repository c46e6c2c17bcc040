// A raw SOAP caller for tests: posts an envelope as a client would, parses the
// answer and checks it against the XSD, so every response of the suite is
// validated. Helpers read fields with explicit namespaces, never prefixes.
import libxml from 'libxmljs2';
import type { Document, Element } from 'libxmljs2';
import { expect } from 'chai';
import { canonical } from './canonical.js';
import { XsdValidator } from '../../src/validation/xsd-validator.js';
import { parseXml } from '../../src/xml/parse-xml.js';
import { NS } from '../../src/xml/namespaces.js';

export type Version = '1.1' | '1.2';
export const VERSIONS: readonly Version[] = ['1.1', '1.2'];

const validator = new XsdValidator();
const ENV = { '1.1': NS.soap11, '1.2': NS.soap12 } as const;

export interface SoapAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Headers;
  readonly text: string;
  readonly doc: Document;
}

export function envelope(version: Version, payload: string, header = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="${ENV[version]}" xmlns:c="${NS.crm}">${header ? `<s:Header>${header}</s:Header>` : ''}
<s:Body>
${payload}
</s:Body>
</s:Envelope>`;
}

export interface PostOptions {
  readonly action?: string;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

/** Posts raw bytes to the SOAP endpoint; the answer must be a valid envelope. */
export async function postSoap(url: string, version: Version, body: string | Buffer, opts: PostOptions = {}): Promise<SoapAnswer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (version === '1.1') {
    headers['content-type'] = opts.contentType ?? 'text/xml; charset=utf-8';
    if (opts.action !== undefined) headers['soapaction'] = `"${opts.action}"`;
  } else {
    const action = opts.action !== undefined ? `; action="${opts.action}"` : '';
    headers['content-type'] = opts.contentType ?? `application/soap+xml; charset=utf-8${action}`;
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  const doc = libxml.parseXml(text);
  const checked = parseXml(Buffer.from(text));
  try {
    expect(validator.validate(checked.root, Buffer.from(text)), `answer fails the schema:\n${text}`).to.deep.equal([]);
  } finally {
    checked.dispose();
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', headers: res.headers, text, doc };
}

/** Calls operation `op` with `inner` as the wrapper's content, with the WSDL's SOAPAction. */
export async function call(url: string, version: Version, op: string, inner: string): Promise<SoapAnswer> {
  return postSoap(url, version, envelope(version, `<c:${op}>${inner}</c:${op}>`), { action: `${NS.crm}/${op}` });
}

const Q = { s11: NS.soap11, s12: NS.soap12, c: NS.crm };

/** The response wrapper's first child element (e.g. the customer), failing on a fault. */
export function payloadOf(answer: SoapAnswer): Element {
  const el = answer.doc.get<Element>('/*/*[local-name()="Body"]/*', Q);
  expect(el, answer.text).to.exist;
  expect(el?.name(), answer.text).to.not.equal('Fault');
  return el as Element;
}

/** The canonical form of the response's customer element, for whole-record comparisons. */
export function customerOf(answer: SoapAnswer): string {
  const customer = payloadOf(answer).get<Element>('c:customer', Q);
  expect(customer, answer.text).to.exist;
  return canonical(customer as Element);
}

export function text(node: Element | Document, xpath: string): string | undefined {
  const found = node.get<Element>(xpath, Q);
  return found ? found.text() : undefined;
}

export interface FaultView {
  readonly soapCode: string;
  readonly code: string;
  readonly message: string;
  readonly errors: { line: number; column: number; message: string }[];
}

export function faultOf(answer: SoapAnswer): FaultView {
  const fault = answer.doc.get<Element>('//s11:Fault | //s12:Fault', Q);
  expect(fault, `expected a fault:\n${answer.text}`).to.exist;
  const soapCode = text(answer.doc, '//s11:Fault/faultcode | //s12:Fault/s12:Code/s12:Value') ?? '';
  const sf = answer.doc.get<Element>('//c:ServiceFault', Q) as Element;
  return {
    soapCode: soapCode.replace(/^.*:/, ''),
    code: text(sf, 'c:code') ?? '',
    message: text(sf, 'c:message') ?? '',
    errors: sf.find<Element>('c:error', Q).map((e) => ({
      line: Number(text(e, 'c:line')),
      column: Number(text(e, 'c:column')),
      message: text(e, 'c:message') ?? '',
    })),
  };
}

/** Asserts a fault with this contract code, the right SOAP code and HTTP status for the version. */
export function expectFault(answer: SoapAnswer, version: Version, code: string, soapCode: 'Client' | 'Server' = code === 'INTERNAL' ? 'Server' : 'Client'): FaultView {
  const f = faultOf(answer);
  expect(f.code, answer.text).to.equal(code);
  const expectedSoapCode = version === '1.1' ? soapCode : soapCode === 'Client' ? 'Sender' : 'Receiver';
  expect(f.soapCode).to.equal(expectedSoapCode);
  const expectedStatus = version === '1.1' ? 500 : soapCode === 'Client' ? 400 : 500;
  expect(answer.status).to.equal(expectedStatus);
  expect(answer.contentType).to.contain(version === '1.1' ? 'text/xml' : 'application/soap+xml');
  return f;
}
