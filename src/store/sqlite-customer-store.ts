// CustomerStore on better-sqlite3: every SQL statement of the service lives in
// this file, prepared once. Each public method is one synchronous transaction
// (a transaction never spans an await); the async signature is the boundary.
import type Database from 'better-sqlite3';
import type { Address, Contact, Customer, CustomerInput } from '../domain/customer.js';
import { DEFAULT_STATUS } from '../domain/customer.js';
import {
  DuplicateExternalIdError,
  NotFoundError,
  VersionConflictError,
} from '../errors.js';
import type { ChangeKind, CustomerStore } from './customer-store.js';

interface CustomerRow {
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

interface AddressRow {
  type: Address['type'];
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postal_code: string | null;
  country: string;
}

interface ContactRow {
  first_name: string | null;
  last_name: string;
  email: string | null;
  phone: string | null;
  role: string | null;
}

const opt = (v: string | null): string | undefined => (v === null ? undefined : v);
const col = (v: string | undefined): string | null => (v === undefined ? null : v);

function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

export class SqliteCustomerStore implements CustomerStore {
  private readonly stmt;
  private readonly txCreate;
  private readonly txUpdate;
  private readonly txDelete;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      insertCustomer: db.prepare(`INSERT INTO customers
        (id, external_id, type, name, email, phone, status, vat_number,
         addresses_present, contacts_present, version, created_at, updated_at)
        VALUES (@id, @externalId, @type, @name, @email, @phone, @status, @vatNumber,
         @addressesPresent, @contactsPresent, @version, @createdAt, @updatedAt)`),
      updateCustomer: db.prepare(`UPDATE customers SET
        external_id = @externalId, type = @type, name = @name, email = @email, phone = @phone,
        status = @status, vat_number = @vatNumber, addresses_present = @addressesPresent,
        contacts_present = @contactsPresent, version = @version, updated_at = @updatedAt
        WHERE id = @id`),
      versionOf: db.prepare('SELECT version FROM customers WHERE id = ?').pluck(),
      byId: db.prepare('SELECT * FROM customers WHERE id = ?'),
      byExternalId: db.prepare('SELECT * FROM customers WHERE external_id = ?'),
      deleteCustomer: db.prepare('DELETE FROM customers WHERE id = ?'),
      insertAddress: db.prepare(`INSERT INTO addresses
        (customer_id, position, type, line1, line2, city, region, postal_code, country)
        VALUES (@customerId, @position, @type, @line1, @line2, @city, @region, @postalCode, @country)`),
      insertContact: db.prepare(`INSERT INTO contacts
        (customer_id, position, first_name, last_name, email, phone, role)
        VALUES (@customerId, @position, @firstName, @lastName, @email, @phone, @role)`),
      deleteAddresses: db.prepare('DELETE FROM addresses WHERE customer_id = ?'),
      deleteContacts: db.prepare('DELETE FROM contacts WHERE customer_id = ?'),
      addressesOf: db.prepare(`SELECT type, line1, line2, city, region, postal_code, country
        FROM addresses WHERE customer_id = ? ORDER BY position`),
      contactsOf: db.prepare(`SELECT first_name, last_name, email, phone, role
        FROM contacts WHERE customer_id = ? ORDER BY position`),
      logChange: db.prepare(`INSERT INTO change_log (customer_id, kind, version, changed_at)
        VALUES (@customerId, @kind, @version, @changedAt)`),
    };

    this.txCreate = db.transaction((input: CustomerInput, id: string, now: string): Customer => {
      const customer: Customer = { ...input, id, status: input.status ?? DEFAULT_STATUS, version: 1, createdAt: now, updatedAt: now };
      this.stmt.insertCustomer.run(this.customerParams(customer));
      this.writeChildren(customer);
      this.logChange(id, 'CREATED', 1, now);
      return customer;
    });

    this.txUpdate = db.transaction((input: CustomerInput & { id: string; version: number }, now: string): Customer => {
      const stored = this.stmt.byId.get(input.id) as CustomerRow | undefined;
      if (!stored) throw new NotFoundError(`No customer with id '${input.id}'`);
      if (stored.version !== input.version) {
        throw new VersionConflictError(
          `Customer '${input.id}' is at version ${stored.version}, the update was based on version ${input.version}; read it again and retry`,
        );
      }
      const customer: Customer = {
        ...input,
        status: input.status ?? DEFAULT_STATUS,
        version: stored.version + 1,
        createdAt: stored.created_at,
        updatedAt: now,
      };
      this.stmt.updateCustomer.run(this.customerParams(customer));
      this.stmt.deleteAddresses.run(customer.id);
      this.stmt.deleteContacts.run(customer.id);
      this.writeChildren(customer);
      this.logChange(customer.id, 'UPDATED', customer.version, now);
      return customer;
    });

    this.txDelete = db.transaction((id: string, now: string): void => {
      const result = this.stmt.deleteCustomer.run(id);
      if (result.changes === 0) throw new NotFoundError(`No customer with id '${id}'`);
      this.logChange(id, 'DELETED', null, now);
    });
  }

  async createCustomer(input: CustomerInput, id: string, now: string): Promise<Customer> {
    return this.withUniqueExternalId(input.externalId, () => this.txCreate(input, id, now));
  }

  async getCustomerById(id: string): Promise<Customer | undefined> {
    return this.load(this.stmt.byId.get(id) as CustomerRow | undefined);
  }

  async getCustomerByExternalId(externalId: string): Promise<Customer | undefined> {
    return this.load(this.stmt.byExternalId.get(externalId) as CustomerRow | undefined);
  }

  async updateCustomer(input: CustomerInput & { id: string; version: number }, now: string): Promise<Customer> {
    return this.withUniqueExternalId(input.externalId, () => this.txUpdate(input, now));
  }

  async deleteCustomer(id: string, now: string): Promise<void> {
    this.txDelete(id, now);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private withUniqueExternalId<T>(externalId: string | undefined, work: () => T): T {
    try {
      return work();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new DuplicateExternalIdError(`externalId '${externalId ?? ''}' belongs to another customer`);
      }
      throw err;
    }
  }

  private customerParams(c: Customer): Record<string, unknown> {
    return {
      id: c.id,
      externalId: col(c.externalId),
      type: c.type,
      name: c.name,
      email: col(c.email),
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

  private writeChildren(c: Customer): void {
    (c.addresses ?? []).forEach((a, position) => {
      this.stmt.insertAddress.run({
        customerId: c.id,
        position,
        type: a.type,
        line1: a.line1,
        line2: col(a.line2),
        city: a.city,
        region: col(a.region),
        postalCode: col(a.postalCode),
        country: a.country,
      });
    });
    (c.contacts ?? []).forEach((k, position) => {
      this.stmt.insertContact.run({
        customerId: c.id,
        position,
        firstName: col(k.firstName),
        lastName: k.lastName,
        email: col(k.email),
        phone: col(k.phone),
        role: col(k.role),
      });
    });
  }

  private logChange(customerId: string, kind: ChangeKind, version: number | null, changedAt: string): void {
    this.stmt.logChange.run({ customerId, kind, version, changedAt });
  }

  private load(row: CustomerRow | undefined): Customer | undefined {
    if (!row) return undefined;
    const addresses = row.addresses_present
      ? (this.stmt.addressesOf.all(row.id) as AddressRow[]).map(
          (a): Address => ({
            type: a.type,
            line1: a.line1,
            line2: opt(a.line2),
            city: a.city,
            region: opt(a.region),
            postalCode: opt(a.postal_code),
            country: a.country,
          }),
        )
      : undefined;
    const contacts = row.contacts_present
      ? (this.stmt.contactsOf.all(row.id) as ContactRow[]).map(
          (k): Contact => ({
            firstName: opt(k.first_name),
            lastName: k.last_name,
            email: opt(k.email),
            phone: opt(k.phone),
            role: opt(k.role),
          }),
        )
      : undefined;
    return {
      id: row.id,
      externalId: opt(row.external_id),
      type: row.type,
      name: row.name,
      email: opt(row.email),
      phone: opt(row.phone),
      status: row.status,
      vatNumber: opt(row.vat_number),
      addresses,
      contacts,
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
