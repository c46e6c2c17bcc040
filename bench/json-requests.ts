// The same synthetic customers as /xml and /api bodies, written as strings
// (as soap-requests.ts does): the bench shares no code with the service.
import type { SyntheticCustomer } from './customers.js';

const NS = 'urn:crm-bridge:customer:v1';

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** POST /xml/customers: a Customer document. */
export function customerDocument(c: SyntheticCustomer): string {
  const tag = (name: string, text: string): string => `<${name}>${escapeXml(text)}</${name}>`;
  const addresses = c.addresses
    .map((a) => `<address type="${a.type}">${tag('line1', a.line1)}${tag('city', a.city)}${tag('postalCode', a.postalCode)}${tag('country', a.country)}</address>`)
    .join('');
  const contacts = c.contacts
    .map((k) => `<contact>${tag('firstName', k.firstName)}${tag('lastName', k.lastName)}${tag('email', k.email)}${tag('role', k.role)}</contact>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Customer xmlns="${NS}">${tag('externalId', c.externalId)}${tag('type', c.type)}${tag('name', c.name)}` +
    `${tag('email', c.email)}${tag('phone', c.phone)}<addresses>${addresses}</addresses><contacts>${contacts}</contacts></Customer>`;
}

/** POST /api/customers: the same customer as JSON. */
export function customerJsonBody(c: SyntheticCustomer): string {
  return JSON.stringify({
    externalId: c.externalId,
    type: c.type,
    name: c.name,
    email: c.email,
    phone: c.phone,
    addresses: c.addresses.map((a) => ({ type: a.type, line1: a.line1, city: a.city, postalCode: a.postalCode, country: a.country })),
    contacts: c.contacts.map((k) => ({ firstName: k.firstName, lastName: k.lastName, email: k.email, role: k.role })),
  });
}
