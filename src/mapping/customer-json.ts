// Customer <-> JSON (contract v1.1, "JSON details"), as customer-xml.ts is
// for XML: the reader trusts the validation stage (validation/json-validator.ts:
// the XSD-derived schema, null and [] already dropped) and only converts; the
// writer gives members in the contract's order, leaves out absent optional
// scalars and always carries addresses and contacts.
import type { Address, AddressType, Contact, Customer, CustomerInput, CustomerKind, CustomerStatus } from '../domain/customer.js';
import type { HistoryEntry } from '../domain/history.js';
import type { SearchPage } from '../domain/search.js';

type JsonObject = Readonly<Record<string, unknown>>;

const text = (o: JsonObject, name: string): string | undefined => o[name] as string | undefined;

export function readCustomerJson(value: unknown): CustomerInput {
  const o = value as JsonObject;
  const addresses = o['addresses'] as JsonObject[] | undefined;
  const contacts = o['contacts'] as JsonObject[] | undefined;
  return {
    id: text(o, 'id'),
    externalId: text(o, 'externalId'),
    type: o['type'] as CustomerKind,
    name: o['name'] as string,
    email: text(o, 'email'),
    phone: text(o, 'phone'),
    status: o['status'] as CustomerStatus | undefined,
    vatNumber: text(o, 'vatNumber'),
    // [] is absent (validation drops it): nothing to tell apart, unlike XML's empty wrapper.
    addresses: addresses?.map(readAddress),
    contacts: contacts?.map(readContact),
    version: o['version'] as number | undefined,
    // createdAt / updatedAt are assigned by the service; a client's copy is ignored, as in XML.
  };
}

function readAddress(o: JsonObject): Address {
  return {
    type: o['type'] as AddressType,
    line1: o['line1'] as string,
    line2: text(o, 'line2'),
    city: o['city'] as string,
    region: text(o, 'region'),
    postalCode: text(o, 'postalCode'),
    country: o['country'] as string,
  };
}

function readContact(o: JsonObject): Contact {
  return { firstName: text(o, 'firstName'), lastName: o['lastName'] as string, email: text(o, 'email'), phone: text(o, 'phone'), role: text(o, 'role') };
}

/** The customer as an answer's JSON value; JSON.stringify leaves out the undefined members. */
export function customerJson(c: Customer): Record<string, unknown> {
  return {
    id: c.id,
    externalId: c.externalId,
    type: c.type,
    name: c.name,
    email: c.email,
    phone: c.phone,
    status: c.status,
    vatNumber: c.vatNumber,
    addresses: (c.addresses ?? []).map((a) => ({
      type: a.type, line1: a.line1, line2: a.line2, city: a.city, region: a.region, postalCode: a.postalCode, country: a.country,
    })),
    contacts: (c.contacts ?? []).map((k) => ({ firstName: k.firstName, lastName: k.lastName, email: k.email, phone: k.phone, role: k.role })),
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** GET /api/customers: {"total","offset","customers":[...]}. */
export function searchPageJson(page: SearchPage): Record<string, unknown> {
  return { total: page.total, offset: page.offset, customers: page.customers.map(customerJson) };
}

/** GET /api/customers/{id}/history: {"changes":[...]}, the members of CustomerHistory's change. */
export function historyJson(history: readonly HistoryEntry[]): Record<string, unknown> {
  return { changes: history.map((h) => ({ version: h.version, at: h.at, operation: h.operation, actor: h.actor, requestId: h.requestId })) };
}
