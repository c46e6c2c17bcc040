// CustomerStore on better-sqlite3: the service's SQL lives in this folder,
// prepared once. Each public method is one synchronous transaction (a
// transaction never spans an await); the async signature is the boundary.
// Write transactions are IMMEDIATE, so a second process on the same file (the
// CLI beside the server) waits for the lock instead of failing half-way.
import type Database from 'better-sqlite3';
import { summarize, type BatchReport, type BatchRequest, type RecordResult } from '../../domain/batch.js';
import type { ChangesPage } from '../../domain/changes.js';
import { DEFAULT_STATUS, type Customer, type CustomerInput } from '../../domain/customer.js';
import type { SearchPage, SearchQuery } from '../../domain/search.js';
import { decideUpsert } from '../../domain/upsert-decision.js';
import {
  BridgeError,
  DuplicateExternalIdError,
  NotFoundError,
  ValidationFailedError,
  VersionConflictError,
} from '../../errors.js';
import type { ChangeKind, CustomerStore } from '../customer-store.js';
import {
  addressParams,
  assemble,
  contactParams,
  customerParams,
  type AddressRow,
  type ContactRow,
  type CustomerRow,
} from './customer-rows.js';
import { SearchSql } from './search-sql.js';

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Thrown inside an ATOMIC batch to roll its records back; never leaves this module. */
class AtomicRollback extends Error {
  constructor(readonly results: RecordResult[]) {
    super('atomic batch rolled back');
  }
}

export class SqliteCustomerStore implements CustomerStore {
  private readonly stmt;
  private readonly search: SearchSql;

  constructor(private readonly db: Database.Database) {
    this.search = new SearchSql(db);
    this.stmt = {
      insertCustomer: db.prepare(`INSERT INTO customers
        (id, external_id, type, name, name_folded, email, email_folded, phone, status, vat_number,
         addresses_present, contacts_present, version, created_at, updated_at)
        VALUES (@id, @externalId, @type, @name, @nameFolded, @email, @emailFolded, @phone, @status, @vatNumber,
         @addressesPresent, @contactsPresent, @version, @createdAt, @updatedAt)`),
      updateCustomer: db.prepare(`UPDATE customers SET
        external_id = @externalId, type = @type, name = @name, name_folded = @nameFolded,
        email = @email, email_folded = @emailFolded, phone = @phone, status = @status,
        vat_number = @vatNumber, addresses_present = @addressesPresent,
        contacts_present = @contactsPresent, version = @version, updated_at = @updatedAt
        WHERE id = @id`),
      byId: db.prepare('SELECT * FROM customers WHERE id = ?'),
      byExternalId: db.prepare('SELECT * FROM customers WHERE external_id = ?'),
      byIds: db.prepare('SELECT * FROM customers WHERE id IN (SELECT value FROM json_each(?))'),
      deleteCustomer: db.prepare('DELETE FROM customers WHERE id = ?'),
      insertAddress: db.prepare(`INSERT INTO addresses
        (customer_id, position, type, line1, line2, city, region, postal_code, country)
        VALUES (@customerId, @position, @type, @line1, @line2, @city, @region, @postalCode, @country)`),
      insertContact: db.prepare(`INSERT INTO contacts
        (customer_id, position, first_name, last_name, email, phone, role)
        VALUES (@customerId, @position, @firstName, @lastName, @email, @phone, @role)`),
      deleteAddresses: db.prepare('DELETE FROM addresses WHERE customer_id = ?'),
      deleteContacts: db.prepare('DELETE FROM contacts WHERE customer_id = ?'),
      addressesOf: db.prepare(`SELECT customer_id, type, line1, line2, city, region, postal_code, country
        FROM addresses WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id, position`),
      contactsOf: db.prepare(`SELECT customer_id, first_name, last_name, email, phone, role
        FROM contacts WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id, position`),
      lastStamp: db.prepare('SELECT max(stamp) FROM change_log').pluck(),
      logChange: db.prepare(`INSERT INTO change_log (stamp, customer_id, kind, version)
        VALUES (@stamp, @customerId, @kind, @version)`),
      // The latest change of each customer after the cursor, in stamp order.
      changesSince: db.prepare(`SELECT l.customer_id, l.kind, l.stamp FROM change_log l
        WHERE l.stamp > @since
          AND l.stamp = (SELECT max(m.stamp) FROM change_log m WHERE m.customer_id = l.customer_id)
        ORDER BY l.stamp LIMIT @limit`),
      batchById: db.prepare('SELECT fingerprint, report FROM batches WHERE batch_id = ?'),
      insertBatch: db.prepare(`INSERT INTO batches (batch_id, fingerprint, report, created_at)
        VALUES (@batchId, @fingerprint, @report, @createdAt)`),
      ping: db.prepare('SELECT 1'),
    };
  }

  async createCustomer(input: CustomerInput, id: string, now: string): Promise<Customer> {
    return this.write(() => this.insert(input, id, now));
  }

  async getCustomerById(id: string): Promise<Customer | undefined> {
    return this.load(this.stmt.byId.get(id) as CustomerRow | undefined);
  }

  async getCustomerByExternalId(externalId: string): Promise<Customer | undefined> {
    return this.load(this.stmt.byExternalId.get(externalId) as CustomerRow | undefined);
  }

  async updateCustomer(input: CustomerInput & { id: string; version: number }, now: string): Promise<Customer> {
    return this.write(() => {
      const stored = this.load(this.stmt.byId.get(input.id) as CustomerRow | undefined);
      if (!stored) throw new NotFoundError(`No customer with id '${input.id}'`);
      if (stored.version !== input.version) {
        throw new VersionConflictError(
          `Customer '${input.id}' is at version ${stored.version}, the update was based on version ${input.version}; read it again and retry`,
        );
      }
      return this.replace(input, stored, now);
    });
  }

  async deleteCustomer(id: string, now: string, expectedVersion?: number): Promise<void> {
    this.write(() => {
      if (expectedVersion !== undefined) {
        const stored = this.stmt.byId.get(id) as CustomerRow | undefined;
        if (stored !== undefined && stored.version !== expectedVersion) {
          throw new VersionConflictError(`Customer '${id}' is at version ${stored.version}, not ${expectedVersion}`);
        }
      }
      const result = this.stmt.deleteCustomer.run(id);
      if (result.changes === 0) throw new NotFoundError(`No customer with id '${id}'`);
      this.logChange(id, 'DELETED', null, now);
    });
  }

  async searchCustomers(query: SearchQuery): Promise<SearchPage> {
    return this.db.transaction((): SearchPage => {
      const { statements, params } = this.search.prepare(query);
      const total = statements.count.get(params) as number;
      const rows = statements.page.all(params) as CustomerRow[];
      return { total, offset: query.offset, customers: this.withChildren(rows) };
    })();
  }

  async getChanges(sinceStamp: number, limit: number): Promise<ChangesPage> {
    // One read transaction: the page and the customers in it are one snapshot.
    return this.db.transaction((): ChangesPage => {
      const changes = this.stmt.changesSince.all({ since: sinceStamp, limit }) as { customer_id: string; kind: ChangeKind; stamp: number }[];
      const live = changes.filter((c) => c.kind !== 'DELETED').map((c) => c.customer_id);
      const rows = new Map((this.stmt.byIds.all(JSON.stringify(live)) as CustomerRow[]).map((r) => [r.id, r]));
      const ordered = live.map((id) => rows.get(id)).filter((r): r is CustomerRow => r !== undefined);
      return {
        customers: this.withChildren(ordered),
        deletedIds: changes.filter((c) => c.kind === 'DELETED').map((c) => c.customer_id),
        nextStamp: changes.at(-1)?.stamp ?? sinceStamp,
      };
    })();
  }

  async applyBatch(batch: BatchRequest, now: string, newId: () => string): Promise<BatchReport> {
    return this.write(() => {
      if (batch.batchId !== undefined) {
        const first = this.stmt.batchById.get(batch.batchId) as { fingerprint: string; report: string } | undefined;
        if (first !== undefined) {
          if (first.fingerprint !== batch.fingerprint) {
            throw new ValidationFailedError(
              `batchId '${batch.batchId}' was already used for a batch with other content; use a new batchId for new data`,
            );
          }
          return JSON.parse(first.report) as BatchReport;
        }
      }
      let results: RecordResult[];
      try {
        results = this.db.transaction(() => this.applyRecords(batch, now, newId))();
      } catch (err) {
        if (!(err instanceof AtomicRollback)) throw err;
        results = err.results;
      }
      const report = summarize(batch.batchId, results);
      if (batch.batchId !== undefined) {
        this.stmt.insertBatch.run({ batchId: batch.batchId, fingerprint: batch.fingerprint, report: JSON.stringify(report), createdAt: now });
      }
      return report;
    });
  }

  async ping(): Promise<void> {
    this.stmt.ping.get();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** Each record in a savepoint of its own, so a failing one leaves no trace. */
  private applyRecords(batch: BatchRequest, now: string, newId: () => string): RecordResult[] {
    const applyOne = this.db.transaction((input: CustomerInput): RecordResult & { index: 0 } => {
      const byExternalId = input.externalId === undefined ? undefined : this.load(this.stmt.byExternalId.get(input.externalId) as CustomerRow | undefined);
      const byId = input.id === undefined ? undefined : this.load(this.stmt.byId.get(input.id) as CustomerRow | undefined);
      const decision = decideUpsert(input, byExternalId, byId);
      switch (decision.kind) {
        case 'fail':
          throw decision.error;
        case 'unchanged':
          return { index: 0, externalId: input.externalId, id: decision.target.id, status: 'UNCHANGED' };
        case 'update':
          this.replace({ ...input, id: decision.target.id }, decision.target, now);
          return { index: 0, externalId: input.externalId, id: decision.target.id, status: 'UPDATED' };
        case 'create': {
          const { id: _unused, version: _ignored, ...fields } = input;
          const created = this.insert(fields, newId(), now);
          return { index: 0, externalId: input.externalId, id: created.id, status: 'CREATED' };
        }
      }
    });
    const results = batch.records.map((record): RecordResult => {
      const externalId = record.input?.externalId ?? record.externalId;
      if (record.input === undefined) {
        return { index: record.index, externalId, status: 'FAILED', error: record.error };
      }
      try {
        return { ...applyOne(record.input), index: record.index };
      } catch (err) {
        const e = this.asBridgeError(err, record.input.externalId);
        return { index: record.index, externalId, status: 'FAILED', error: { code: e.code, message: e.message } };
      }
    });
    const failed = results.filter((r) => r.status === 'FAILED');
    if (batch.mode === 'ATOMIC' && failed.length > 0) {
      const first = failed[0]?.index ?? 0;
      throw new AtomicRollback(results.map((r): RecordResult => r.status === 'FAILED' ? r : {
        index: r.index,
        externalId: r.externalId,
        status: 'FAILED',
        error: { code: 'ROLLED_BACK', message: `Not stored: record ${first} failed and the batch is ATOMIC` },
      }));
    }
    return results;
  }

  /** Runs `work` as one IMMEDIATE transaction, mapping a unique-key violation to DUPLICATE_EXTERNAL_ID. */
  private write<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateExternalIdError('The externalId belongs to another customer');
      throw err;
    }
  }

  private asBridgeError(err: unknown, externalId: string | undefined): BridgeError {
    if (err instanceof BridgeError) return err;
    if (isUniqueViolation(err)) return new DuplicateExternalIdError(`externalId '${externalId ?? ''}' belongs to another customer`);
    throw err;
  }

  private insert(input: CustomerInput, id: string, now: string): Customer {
    const customer: Customer = { ...input, id, status: input.status ?? DEFAULT_STATUS, version: 1, createdAt: now, updatedAt: now };
    try {
      this.stmt.insertCustomer.run(customerParams(customer));
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateExternalIdError(`externalId '${input.externalId ?? ''}' belongs to another customer`);
      throw err;
    }
    this.writeChildren(customer);
    this.logChange(id, 'CREATED', 1, now);
    return customer;
  }

  /** Overwrites `stored` with `input`'s data: version + 1, createdAt kept. */
  private replace(input: CustomerInput & { id: string }, stored: Customer, now: string): Customer {
    const customer: Customer = {
      ...input,
      status: input.status ?? DEFAULT_STATUS,
      version: stored.version + 1,
      createdAt: stored.createdAt,
      updatedAt: now,
    };
    try {
      this.stmt.updateCustomer.run(customerParams(customer));
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateExternalIdError(`externalId '${input.externalId ?? ''}' belongs to another customer`);
      throw err;
    }
    this.stmt.deleteAddresses.run(customer.id);
    this.stmt.deleteContacts.run(customer.id);
    this.writeChildren(customer);
    this.logChange(customer.id, 'UPDATED', customer.version, now);
    return customer;
  }

  private writeChildren(c: Customer): void {
    (c.addresses ?? []).forEach((a, i) => this.stmt.insertAddress.run(addressParams(c.id, a, i)));
    (c.contacts ?? []).forEach((k, i) => this.stmt.insertContact.run(contactParams(c.id, k, i)));
  }

  /** Stamps are unique and increase in commit order: max(now, last + 1 µs), inside the write lock. */
  private logChange(customerId: string, kind: ChangeKind, version: number | null, now: string): void {
    const last = (this.stmt.lastStamp.get() as number | null) ?? 0;
    const stamp = Math.max(Date.parse(now) * 1000, last + 1);
    this.stmt.logChange.run({ stamp, customerId, kind, version });
  }

  private load(row: CustomerRow | undefined): Customer | undefined {
    return row === undefined ? undefined : this.withChildren([row])[0];
  }

  /** Customers with addresses and contacts: three queries whatever the number of rows. */
  private withChildren(rows: readonly CustomerRow[]): Customer[] {
    if (rows.length === 0) return [];
    const ids = JSON.stringify(rows.map((r) => r.id));
    return assemble(rows, this.stmt.addressesOf.all(ids) as AddressRow[], this.stmt.contactsOf.all(ids) as ContactRow[]);
  }
}
