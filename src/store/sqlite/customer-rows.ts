// Rows <-> Customer for the SQLite store: column names, NULL <-> absent, and
// assembling customers with their addresses and contacts from set queries.
import type { Address, Contact, Customer } from '../../domain/customer.js';
import { fold } from '../../domain/fold.js';

export interface CustomerRow {
  id: string;
  external_id: string | null;
  type: Customer['type'];
  name: string;
  email: string | null;
  phone: string | null;
  status: Customer['status'];
  vat_number: string | null;
  addresses_present: number;
  contacts_present: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AddressRow {
  customer_id: string;
  type: Address['type'];
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postal_code: string | null;
  country: string;
}

export interface ContactRow {
  customer_id: string;
  first_name: string | null;
  last_name: string;
  email: string | null;
  phone: string | null;
  role: string | null;
}

const opt = (v: string | null): string | undefined => (v === null ? undefined : v);
const col = (v: string | undefined): string | null => (v === undefined ? null : v);

export function customerParams(c: Customer): Record<string, unknown> {
  return {
    id: c.id,
    externalId: col(c.externalId),
    type: c.type,
    name: c.name,
    nameFolded: fold(c.name),
    email: col(c.email),
    emailFolded: c.email === undefined ? null : fold(c.email),
    phone: col(c.phone),
    status: c.status,
    vatNumber: col(c.vatNumber),
    addressesPresent: c.addresses === undefined ? 0 : 1,
    contactsPresent: c.contacts === undefined ? 0 : 1,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function addressParams(customerId: string, a: Address, position: number): Record<string, unknown> {
  return {
    customerId,
    position,
    type: a.type,
    line1: a.line1,
    line2: col(a.line2),
    city: a.city,
    region: col(a.region),
    postalCode: col(a.postalCode),
    country: a.country,
  };
}

export function contactParams(customerId: string, k: Contact, position: number): Record<string, unknown> {
  return {
    customerId,
    position,
    firstName: col(k.firstName),
    lastName: k.lastName,
    email: col(k.email),
    phone: col(k.phone),
    role: col(k.role),
  };
}

/**
 * Customers from their rows plus the address and contact rows of all of them
 * (ordered by customer, then position), in the order of `rows`.
 */
export function assemble(rows: readonly CustomerRow[], addresses: readonly AddressRow[], contacts: readonly ContactRow[]): Customer[] {
  const addressesOf = groupBy(addresses, toAddress);
  const contactsOf = groupBy(contacts, toContact);
  return rows.map((row) => ({
    id: row.id,
    externalId: opt(row.external_id),
    type: row.type,
    name: row.name,
    email: opt(row.email),
    phone: opt(row.phone),
    status: row.status,
    vatNumber: opt(row.vat_number),
    addresses: row.addresses_present ? addressesOf.get(row.id) ?? [] : undefined,
    contacts: row.contacts_present ? contactsOf.get(row.id) ?? [] : undefined,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

function groupBy<R extends { customer_id: string }, T>(rows: readonly R[], map: (r: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.customer_id);
    if (list === undefined) out.set(r.customer_id, [map(r)]);
    else list.push(map(r));
  }
  return out;
}

function toAddress(a: AddressRow): Address {
  return {
    type: a.type,
    line1: a.line1,
    line2: opt(a.line2),
    city: a.city,
    region: opt(a.region),
    postalCode: opt(a.postal_code),
    country: a.country,
  };
}

function toContact(k: ContactRow): Contact {
  return {
    firstName: opt(k.first_name),
    lastName: k.last_name,
    email: opt(k.email),
    phone: opt(k.phone),
    role: opt(k.role),
  };
}
