// The node-soap baseline's store: better-sqlite3 over a plain schema, the way
// an integrator writes it in an afternoon (customers + addresses + contacts,
// WAL, synchronous=FULL so an acknowledged write is durable, prepared
// statements, one transaction per create, a LIKE for the name search). Also
// the schema of the raw better-sqlite3 ceiling. Nothing of crm-bridge's
// store is reused: the baseline must stand on its own.
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';

export interface PlainAddress {
  readonly type: string;
  readonly line1: string;
  readonly line2?: string | undefined;
  readonly city: string;
  readonly region?: string | undefined;
  readonly postalCode?: string | undefined;
  readonly country: string;
}

export interface PlainContact {
  readonly firstName?: string | undefined;
  readonly lastName: string;
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly role?: string | undefined;
}

/** A customer as a client sends it (no id, version or timestamps). */
export interface NewCustomer {
  readonly externalId?: string | undefined;
  readonly type: string;
  readonly name: string;
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly status?: string | undefined;
  readonly vatNumber?: string | undefined;
  readonly addresses: readonly PlainAddress[];
  readonly contacts: readonly PlainContact[];
}

export interface StoredCustomer extends NewCustomer {
  readonly id: string;
  readonly status: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SearchPage {
  readonly total: number;
  readonly customers: readonly StoredCustomer[];
}

/** Thrown by create() when the externalId is taken (the UNIQUE constraint). */
export class DuplicateExternalIdError extends Error {
  override readonly name = 'DuplicateExternalIdError';
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS customers (
  id          TEXT PRIMARY KEY,
  external_id TEXT UNIQUE,
  type        TEXT NOT NULL,
  name        TEXT NOT NULL,
  email       TEXT,
  phone       TEXT,
  status      TEXT NOT NULL,
  vat_number  TEXT,
  version     INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS addresses (
  id          INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  type        TEXT NOT NULL,
  line1       TEXT NOT NULL,
  line2       TEXT,
  city        TEXT NOT NULL,
  region      TEXT,
  postal_code TEXT,
  country     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS addresses_customer ON addresses (customer_id);
CREATE TABLE IF NOT EXISTS contacts (
  id          INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  first_name  TEXT,
  last_name   TEXT NOT NULL,
  email       TEXT,
  phone       TEXT,
  role        TEXT
);
CREATE INDEX IF NOT EXISTS contacts_customer ON contacts (customer_id);
`;

interface CustomerRow {
  id: string; external_id: string | null; type: string; name: string; email: string | null; phone: string | null;
  status: string; vat_number: string | null; version: number; created_at: string; updated_at: string;
}
interface AddressRow {
  type: string; line1: string; line2: string | null; city: string; region: string | null; postal_code: string | null; country: string;
}
interface ContactRow {
  first_name: string | null; last_name: string; email: string | null; phone: string | null; role: string | null;
}

const orUndefined = (v: string | null): string | undefined => v ?? undefined;

export interface BaselineStoreOptions {
  /** Id of a new customer; randomUUID() as the typical service has it. */
  readonly newId?: () => string;
}

export class BaselineStore {
  private readonly db: Database.Database;
  private readonly newId: () => string;
  private readonly insertCustomer: Database.Statement;
  private readonly insertAddress: Database.Statement;
  private readonly insertContact: Database.Statement;
  private readonly byId: Database.Statement<[string], CustomerRow>;
  private readonly byExternalId: Database.Statement<[string], CustomerRow>;
  private readonly addressesOf: Database.Statement<[string], AddressRow>;
  private readonly contactsOf: Database.Statement<[string], ContactRow>;
  private readonly page: Database.Statement<{ pattern: string; limit: number; offset: number }, CustomerRow>;
  private readonly count: Database.Statement<{ pattern: string }, { n: number }>;
  private readonly insertInTransaction: (customers: readonly NewCustomer[]) => StoredCustomer[];

  constructor(file: string, options: BaselineStoreOptions = {}) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    this.newId = options.newId ?? randomUUID;
    this.insertCustomer = this.db.prepare(
      `INSERT INTO customers (id, external_id, type, name, email, phone, status, vat_number, version, created_at, updated_at)
       VALUES (@id, @externalId, @type, @name, @email, @phone, @status, @vatNumber, @version, @createdAt, @updatedAt)`);
    this.insertAddress = this.db.prepare(
      `INSERT INTO addresses (customer_id, type, line1, line2, city, region, postal_code, country)
       VALUES (@customerId, @type, @line1, @line2, @city, @region, @postalCode, @country)`);
    this.insertContact = this.db.prepare(
      `INSERT INTO contacts (customer_id, first_name, last_name, email, phone, role)
       VALUES (@customerId, @firstName, @lastName, @email, @phone, @role)`);
    this.byId = this.db.prepare('SELECT * FROM customers WHERE id = ?');
    this.byExternalId = this.db.prepare('SELECT * FROM customers WHERE external_id = ?');
    this.addressesOf = this.db.prepare('SELECT * FROM addresses WHERE customer_id = ? ORDER BY id');
    this.contactsOf = this.db.prepare('SELECT * FROM contacts WHERE customer_id = ? ORDER BY id');
    // LIKE is case-insensitive for ASCII only; the contract folds Unicode case.
    // The bench's name terms are '#' and digits, so the two agree on them.
    this.page = this.db.prepare(
      `SELECT * FROM customers WHERE name LIKE @pattern ESCAPE '\\' ORDER BY id LIMIT @limit OFFSET @offset`);
    this.count = this.db.prepare(`SELECT count(*) AS n FROM customers WHERE name LIKE @pattern ESCAPE '\\'`);
    this.insertInTransaction = this.db.transaction((customers: readonly NewCustomer[]) => customers.map((c) => this.insert(c)));
  }

  /** One customer, one transaction: durable when this returns. */
  create(customer: NewCustomer): StoredCustomer {
    const [stored] = this.createMany([customer]);
    return stored as StoredCustomer;
  }

  /** Several customers in one transaction (the bulk-insert ceiling). */
  createMany(customers: readonly NewCustomer[]): StoredCustomer[] {
    try {
      return this.insertInTransaction(customers);
    } catch (err) {
      if (err instanceof Database.SqliteError && err.code === 'SQLITE_CONSTRAINT_UNIQUE' && /external_id/.test(err.message)) {
        throw new DuplicateExternalIdError('externalId already in use');
      }
      throw err;
    }
  }

  get(id: string): StoredCustomer | undefined {
    const row = this.byId.get(id);
    return row === undefined ? undefined : this.withChildren(row);
  }

  getByExternalId(externalId: string): StoredCustomer | undefined {
    const row = this.byExternalId.get(externalId);
    return row === undefined ? undefined : this.withChildren(row);
  }

  /** Customers whose name contains `name` (every customer without it), ordered by id. */
  search(name: string | undefined, offset: number, limit: number): SearchPage {
    const pattern = name === undefined ? '%' : `%${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.page.all({ pattern, limit, offset });
    const total = this.count.get({ pattern })?.n ?? 0;
    return { total, customers: rows.map((row) => this.withChildren(row)) };
  }

  close(): void {
    this.db.close();
  }

  private insert(c: NewCustomer): StoredCustomer {
    const now = new Date().toISOString();
    const stored: StoredCustomer = { ...c, id: this.newId(), status: c.status ?? 'ACTIVE', version: 1, createdAt: now, updatedAt: now };
    this.insertCustomer.run({
      id: stored.id, externalId: c.externalId ?? null, type: c.type, name: c.name, email: c.email ?? null, phone: c.phone ?? null,
      status: stored.status, vatNumber: c.vatNumber ?? null, version: 1, createdAt: now, updatedAt: now,
    });
    for (const a of c.addresses) {
      this.insertAddress.run({
        customerId: stored.id, type: a.type, line1: a.line1, line2: a.line2 ?? null, city: a.city, region: a.region ?? null,
        postalCode: a.postalCode ?? null, country: a.country,
      });
    }
    for (const k of c.contacts) {
      this.insertContact.run({
        customerId: stored.id, firstName: k.firstName ?? null, lastName: k.lastName, email: k.email ?? null, phone: k.phone ?? null, role: k.role ?? null,
      });
    }
    return stored;
  }

  private withChildren(row: CustomerRow): StoredCustomer {
    return {
      id: row.id,
      externalId: orUndefined(row.external_id),
      type: row.type,
      name: row.name,
      email: orUndefined(row.email),
      phone: orUndefined(row.phone),
      status: row.status,
      vatNumber: orUndefined(row.vat_number),
      addresses: this.addressesOf.all(row.id).map((a) => ({
        type: a.type, line1: a.line1, line2: orUndefined(a.line2), city: a.city, region: orUndefined(a.region),
        postalCode: orUndefined(a.postal_code), country: a.country,
      })),
      contacts: this.contactsOf.all(row.id).map((k) => ({
        firstName: orUndefined(k.first_name), lastName: k.last_name, email: orUndefined(k.email), phone: orUndefined(k.phone), role: orUndefined(k.role),
      })),
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
