// Rows <-> Customer for the SQLite store: column names, NULL <-> absent, and
// assembling customers with their addresses and contacts from set queries.
import type { Address, Contact, Customer } from '../../domain/customer.js';
import { fold } from '../../domain/fold.js';
import type { Attribution, HistoryEntry, HistoryOperation } from '../../domain/history.js';

/**
 * The columns writes set, table by table, in the order of customerValues(),
 * addressValues() and contactValues() below. Writes bind values by position:
 * the same tuple serves the single-row statements and the set-based insert of
 * a batch's creates (set-writes.ts), which reads them back from JSON by index.
 * Reads select the same columns less those no answer needs (below).
 */
export const CUSTOMER_WRITE_COLUMNS = ['id', 'external_id', 'type', 'name', 'name_folded', 'email', 'email_folded', 'phone',
  'status', 'vat_number', 'addresses_present', 'contacts_present', 'version', 'created_at', 'updated_at'] as const;
export const ADDRESS_WRITE_COLUMNS = ['customer_id', 'position', 'type', 'line1', 'line2', 'city', 'region', 'postal_code', 'country'] as const;
export const CONTACT_WRITE_COLUMNS = ['customer_id', 'position', 'first_name', 'last_name', 'email', 'phone', 'role'] as const;
/** A change-log row as written, by the single writes and the set inserts alike (its seq is SQLite's). */
export const CHANGE_WRITE_COLUMNS = ['stamp', 'customer_id', 'kind', 'version'] as const;
export type ChangeValues = readonly [stamp: number, customerId: string, kind: string, version: number | null];
/**
 * A history line as written: what differs from line to line, then what one
 * writer's lines share (a set insert binds those once, set-writes.ts).
 */
export const HISTORY_LINE_COLUMNS = ['customer_id', 'stamp', 'version', 'at'] as const;
export const HISTORY_SHARED_COLUMNS = ['operation', 'actor', 'request_id'] as const;
export type HistoryLineValues = readonly [customerId: string, stamp: number, version: number, at: string];
export type HistorySharedValues = readonly [operation: string, actor: string | null, requestId: string];
export type HistoryRow = readonly [version: number, at: string, operation: HistoryOperation, actor: string | null, requestId: string | null];

/** The columns a history line is read back with, in HistoryRow's order. */
export const HISTORY_COLUMNS = 'version, at, operation, actor, request_id';

export function historyShared(by: Attribution, operation: HistoryOperation): HistorySharedValues {
  return [operation, col(by.actor), by.requestId];
}

export function toHistoryEntry([version, at, operation, actor, requestId]: HistoryRow): HistoryEntry {
  return { version, at, operation, actor: opt(actor), requestId: opt(requestId) };
}

/**
 * What every query that reads customers selects: the row's own fields, not
 * the folded copies or the integer key, which no answer needs. Reading fewer
 * columns is cheaper, and most in a search, where the page query's window
 * count keeps every selected column of every match: its page query took
 * 95 µs with c.* and 70 µs with these (10,000 customers, 10 matches).
 * Rows come as arrays (better-sqlite3's raw mode) in this order, not objects
 * with a property per column: a page of 50 customers read in id order took
 * 3.1-3.9 µs a row as objects and 1.8-2.0 µs as arrays (1M customers, 300k
 * rows read, four runs).
 */
export const CUSTOMER_COLUMNS = CUSTOMER_WRITE_COLUMNS.filter((c) => !c.endsWith('_folded'));

export type CustomerRow = readonly [
  id: string, externalId: string | null, type: Customer['type'], name: string, email: string | null,
  phone: string | null, status: Customer['status'], vatNumber: string | null, addressesPresent: number,
  contactsPresent: number, version: number, createdAt: string, updatedAt: string,
  // a search page's rows carry the number of matches after the columns
  totalMatches?: number,
];

/** The columns above, qualified by a table alias when given. */
export function customerColumns(alias?: string): string {
  return CUSTOMER_COLUMNS.map((c) => (alias === undefined ? c : `${alias}.${c}`)).join(', ');
}

// Addresses and contacts are read as arrays too: the addresses of a search page
// (20 rows) took 55 µs as objects, 35 µs as arrays. Their statements select
// exactly these columns, in this order: what is written, but the position
// (rows come ordered by it).
export const ADDRESS_COLUMNS = ADDRESS_WRITE_COLUMNS.filter((c) => c !== 'position').join(', ');
export type AddressRow = readonly [
  customerId: string, type: Address['type'], line1: string, line2: string | null,
  city: string, region: string | null, postalCode: string | null, country: string,
];

export const CONTACT_COLUMNS = CONTACT_WRITE_COLUMNS.filter((c) => c !== 'position').join(', ');
export type ContactRow = readonly [
  customerId: string, firstName: string | null, lastName: string, email: string | null, phone: string | null, role: string | null,
];

const opt = (v: string | null): string | undefined => (v === null ? undefined : v);
const col = (v: string | undefined): string | null => (v === undefined ? null : v);

export type CustomerValues = readonly [
  id: string, externalId: string | null, type: string, name: string, nameFolded: string, email: string | null,
  emailFolded: string | null, phone: string | null, status: string, vatNumber: string | null, addressesPresent: 0 | 1,
  contactsPresent: 0 | 1, version: number, createdAt: string, updatedAt: string,
];

export function customerValues(c: Customer): CustomerValues {
  return [
    c.id, col(c.externalId), c.type, c.name, fold(c.name), col(c.email), c.email === undefined ? null : fold(c.email),
    col(c.phone), c.status, col(c.vatNumber), c.addresses === undefined ? 0 : 1, c.contacts === undefined ? 0 : 1,
    c.version, c.createdAt, c.updatedAt,
  ];
}

export type AddressValues = readonly [
  customerId: string, position: number, type: string, line1: string, line2: string | null, city: string,
  region: string | null, postalCode: string | null, country: string,
];

export function addressValues(customerId: string, a: Address, position: number): AddressValues {
  return [customerId, position, a.type, a.line1, col(a.line2), a.city, col(a.region), col(a.postalCode), a.country];
}

export type ContactValues = readonly [
  customerId: string, position: number, firstName: string | null, lastName: string, email: string | null,
  phone: string | null, role: string | null,
];

export function contactValues(customerId: string, k: Contact, position: number): ContactValues {
  return [customerId, position, col(k.firstName), k.lastName, col(k.email), col(k.phone), col(k.role)];
}

/** `INSERT INTO table (columns) VALUES (?, ...)`, bound by position. */
export function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

/**
 * `INSERT INTO table (columns) SELECT ... FROM json_each(?)`: every row of a
 * JSON array of value tuples (in `columns` order) in one statement call.
 * `shared` columns take one bound value for every row, bound before the array
 * (a batch's key for each of its results).
 */
export function insertFromJsonSql(table: string, columns: readonly string[], options: { shared?: readonly string[]; orReplace?: boolean } = {}): string {
  const shared = options.shared ?? [];
  const values = [...shared.map(() => '?'), ...columns.map((_, i) => `value ->> ${i}`)];
  return `INSERT${options.orReplace === true ? ' OR REPLACE' : ''} INTO ${table} (${[...shared, ...columns].join(', ')}) SELECT ${values.join(', ')} FROM json_each(?)`;
}

/**
 * Customers from their rows plus the address and contact rows of all of them
 * (ordered by customer, then position), in the order of `rows`.
 */
export function assemble(rows: readonly CustomerRow[], addresses: readonly AddressRow[], contacts: readonly ContactRow[]): Customer[] {
  const addressesOf = groupBy(addresses, toAddress);
  const contactsOf = groupBy(contacts, toContact);
  return rows.map(([id, externalId, type, name, email, phone, status, vatNumber, addressesPresent, contactsPresent, version, createdAt, updatedAt]) => ({
    id,
    externalId: opt(externalId),
    type,
    name,
    email: opt(email),
    phone: opt(phone),
    status,
    vatNumber: opt(vatNumber),
    addresses: addressesPresent ? addressesOf.get(id) ?? [] : undefined,
    contacts: contactsPresent ? contactsOf.get(id) ?? [] : undefined,
    version,
    createdAt,
    updatedAt,
  }));
}

/** A row's customer id and version, for the reads that need no more. */
export const rowId = (row: CustomerRow): string => row[0];
export const rowVersion = (row: CustomerRow): number => row[10];
export const rowTotalMatches = (row: CustomerRow): number | undefined => row[13];

function groupBy<R extends readonly [string, ...unknown[]], T>(rows: readonly R[], map: (r: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r[0]);
    if (list === undefined) out.set(r[0], [map(r)]);
    else list.push(map(r));
  }
  return out;
}

function toAddress([, type, line1, line2, city, region, postalCode, country]: AddressRow): Address {
  return { type, line1, line2: opt(line2), city, region: opt(region), postalCode: opt(postalCode), country };
}

function toContact([, firstName, lastName, email, phone, role]: ContactRow): Contact {
  return { firstName: opt(firstName), lastName, email: opt(email), phone: opt(phone), role: opt(role) };
}
