// SOAP 1.1 request envelopes as a generated client would send them, and the
// few answer fields the bench needs. Built as strings on purpose: the bench
// must not share the service's XML code, or a bug there would hide itself.
import type { SyntheticCustomer } from './customers.js';

export const SOAP_PATH = '/soap/CustomerService';
const NS = 'urn:crm-bridge:customer:v1';

export type Operation = 'GetCustomer' | 'CreateCustomer' | 'SearchCustomers' | 'UpsertCustomers' | 'GetChanges';

/** The headers of a SOAP 1.1 call of `op`; the SOAPAction is quoted as WSDL-generated clients send it. */
export function soapHeaders(op: Operation): Record<string, string> {
  return { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${NS}/${op}"` };
}

/** `header`: header blocks (a wsse:Security header, bench/wsse-header.ts), or none. */
function envelope(payload: string, header = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' +
    (header === '' ? '' : `<soap:Header>${header}</soap:Header>`) +
    '<soap:Body>' +
    payload +
    '</soap:Body></soap:Envelope>'
  );
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

function tag(name: string, text: string | undefined): string {
  return text === undefined ? '' : `<${name}>${escapeXml(text)}</${name}>`;
}

export function customerXml(c: SyntheticCustomer): string {
  const addresses = c.addresses
    .map((a) => `<address type="${a.type}">${tag('line1', a.line1)}${tag('city', a.city)}${tag('postalCode', a.postalCode)}${tag('country', a.country)}</address>`)
    .join('');
  const contacts = c.contacts
    .map((k) => `<contact>${tag('firstName', k.firstName)}${tag('lastName', k.lastName)}${tag('email', k.email)}${tag('role', k.role)}</contact>`)
    .join('');
  return (
    `<customer>${tag('externalId', c.externalId)}${tag('type', c.type)}${tag('name', c.name)}${tag('email', c.email)}` +
    `${tag('phone', c.phone)}<addresses>${addresses}</addresses><contacts>${contacts}</contacts></customer>`
  );
}

export function upsertCustomers(customers: readonly SyntheticCustomer[]): string {
  return envelope(`<UpsertCustomers xmlns="${NS}">${customers.map(customerXml).join('')}</UpsertCustomers>`);
}

export function createCustomer(customer: SyntheticCustomer): string {
  return envelope(`<CreateCustomer xmlns="${NS}">${customerXml(customer)}</CreateCustomer>`);
}

export function getCustomerById(id: string, header = ''): string {
  return envelope(`<GetCustomer xmlns="${NS}">${tag('id', id)}</GetCustomer>`, header);
}

/** `name` undefined = no filter: the first page of every customer. */
export function searchCustomers(name: string | undefined, limit: number): string {
  return envelope(`<SearchCustomers xmlns="${NS}">${tag('name', name)}${tag('limit', String(limit))}</SearchCustomers>`);
}

export function getChanges(since: string, limit: number): string {
  return envelope(`<GetChanges xmlns="${NS}">${tag('since', since)}${tag('limit', String(limit))}</GetChanges>`);
}

// Answers are read with regular expressions: the service writes its own
// documents with a default namespace, and only a handful of leaf values are
// needed. A prefix, if a later version adds one, is tolerated.

/** Every text of the leaf element `local`, in document order. */
export function leafTexts(xml: string, local: string): string[] {
  const re = new RegExp(`<(?:[\\w.-]+:)?${local}>([^<]*)</(?:[\\w.-]+:)?${local}>`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1] ?? '');
}

export function leafText(xml: string, local: string): string | undefined {
  return leafTexts(xml, local)[0];
}

/** Number of `<customer>` elements in an answer. */
export function customerCount(xml: string): number {
  return (xml.match(/<(?:[\w.-]+:)?customer>/g) ?? []).length;
}
