// CustomerRecords on better-sqlite3: customers, their addresses and contacts,
// the change log, their history, search and the export's listing, prepared once. Runs inside
// the store's transactions (sqlite-store.ts), never opens one.
import type Database from 'better-sqlite3';
import type { ChangesPage } from '../../domain/changes.js';
import type { Customer } from '../../domain/customer.js';
import type { Attribution, HistoryEntry, HistoryOperation } from '../../domain/history.js';
import type { SearchPage, SearchQuery } from '../../domain/search.js';
import { DuplicateExternalIdError } from '../../errors.js';
import type { ChangeKind, CustomerRecords, PendingCreates } from '../customer-records.js';
import {
  ADDRESS_COLUMNS,
  CONTACT_COLUMNS,
  ADDRESS_WRITE_COLUMNS,
  CHANGE_WRITE_COLUMNS,
  CONTACT_WRITE_COLUMNS,
  CUSTOMER_WRITE_COLUMNS,
  HISTORY_COLUMNS,
  HISTORY_LINE_COLUMNS,
  HISTORY_SHARED_COLUMNS,
  addressValues,
  assemble,
  contactValues,
  customerColumns,
  customerValues,
  historyShared,
  insertSql,
  rowId,
  rowTotalMatches,
  toHistoryEntry,
  type AddressRow,
  type ChangeValues,
  type ContactRow,
  type CustomerRow,
  type HistoryRow,
} from './customer-rows.js';
import { SearchSql } from './search-sql.js';
import { SetInserts } from './set-writes.js';

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** The one unique index a customer write can break is its externalId's. */
function duplicateOf(err: unknown, customer: Customer): unknown {
  return isUniqueViolation(err) ? new DuplicateExternalIdError(`externalId '${customer.externalId ?? ''}' belongs to another customer`) : err;
}

export class SqliteCustomerRecords implements CustomerRecords {
  private readonly stmt;
  private readonly searchSql: SearchSql;
  private readonly setInserts: SetInserts;
  /** The last change stamp, cached for the length of one write transaction (which holds the lock). */
  private stampCursor: number | undefined;

  constructor(db: Database.Database) {
    this.searchSql = new SearchSql(db);
    this.setInserts = new SetInserts(db);
    this.stmt = {
      insertCustomer: db.prepare(insertSql('customers', CUSTOMER_WRITE_COLUMNS)),
      // Bound as customerValues() without its id, then the id (created_at is rewritten unchanged).
      updateCustomer: db.prepare(`UPDATE customers SET (${CUSTOMER_WRITE_COLUMNS.slice(1).join(', ')})
        = (${CUSTOMER_WRITE_COLUMNS.slice(1).map(() => '?').join(', ')}) WHERE id = ?`),
      // The stored customers a chunk's externalIds name (a JSON array in).
      byExternalIds: db.prepare(`SELECT ${customerColumns()} FROM customers WHERE external_id IN (SELECT value FROM json_each(?))`).raw(),
      byId: db.prepare(`SELECT ${customerColumns()} FROM customers WHERE id = ?`).raw(),
      byExternalId: db.prepare(`SELECT ${customerColumns()} FROM customers WHERE external_id = ?`).raw(),
      byIds: db.prepare(`SELECT ${customerColumns()} FROM customers WHERE id IN (SELECT value FROM json_each(?))`).raw(),
      versionOf: db.prepare('SELECT version FROM customers WHERE id = ?').pluck(),
      // The version deleted, for its history line.
      deleteCustomer: db.prepare('DELETE FROM customers WHERE id = ? RETURNING version').pluck(),
      insertAddress: db.prepare(insertSql('addresses', ADDRESS_WRITE_COLUMNS)),
      insertContact: db.prepare(insertSql('contacts', CONTACT_WRITE_COLUMNS)),
      deleteAddresses: db.prepare('DELETE FROM addresses WHERE customer_id = ?'),
      deleteContacts: db.prepare('DELETE FROM contacts WHERE customer_id = ?'),
      addressesOf: db.prepare(`SELECT ${ADDRESS_COLUMNS}
        FROM addresses WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id, position`).raw(),
      contactsOf: db.prepare(`SELECT ${CONTACT_COLUMNS}
        FROM contacts WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id, position`).raw(),
      // One customer's children by its key directly: cheaper than the json_each
      // set form above for the single reads (GetCustomer, every batch record).
      addressesOfOne: db.prepare(`SELECT ${ADDRESS_COLUMNS} FROM addresses WHERE customer_id = ? ORDER BY position`).raw(),
      contactsOfOne: db.prepare(`SELECT ${CONTACT_COLUMNS} FROM contacts WHERE customer_id = ? ORDER BY position`).raw(),
      lastStamp: db.prepare('SELECT max(stamp) FROM change_log').pluck(),
      logChange: db.prepare(insertSql('change_log', CHANGE_WRITE_COLUMNS)),
      addHistory: db.prepare(insertSql('customer_history', [...HISTORY_LINE_COLUMNS, ...HISTORY_SHARED_COLUMNS])),
      historyOf: db.prepare(`SELECT ${HISTORY_COLUMNS} FROM customer_history WHERE customer_id = ? ORDER BY stamp`).raw(),
      // The latest change of each customer after the cursor, in stamp order.
      changesSince: db.prepare(`SELECT l.customer_id, l.kind, l.stamp FROM change_log l
        WHERE l.stamp > @since
          AND l.stamp = (SELECT max(m.stamp) FROM change_log m WHERE m.customer_id = l.customer_id)
        ORDER BY l.stamp LIMIT @limit`),
      listAfter: db.prepare(`SELECT ${customerColumns()} FROM customers WHERE id > @afterId ORDER BY id LIMIT @limit`).raw(),
      listAfterUpdatedSince: db.prepare(`SELECT ${customerColumns()} FROM customers WHERE id > @afterId AND updated_at >= @updatedSince
        ORDER BY id LIMIT @limit`).raw(),
      // The children of every customer with an id in (afterId, lastId]: one range
      // of each table's primary key, for a listing page that holds all of those
      // customers (not the updatedSince listing, which skips some). 50 probes by
      // json_each cost 1-2 µs a customer more (1M customers).
      addressesBetween: db.prepare(`SELECT ${ADDRESS_COLUMNS} FROM addresses
        WHERE customer_id > @afterId AND customer_id <= @lastId ORDER BY customer_id, position`).raw(),
      contactsBetween: db.prepare(`SELECT ${CONTACT_COLUMNS} FROM contacts
        WHERE customer_id > @afterId AND customer_id <= @lastId ORDER BY customer_id, position`).raw(),
    };
  }

  /** A write transaction begins: another process may have logged changes since this one last wrote. */
  beginWrite(): void {
    this.stampCursor = undefined;
  }

  byId(id: string): Customer | undefined {
    return this.load(this.stmt.byId.get(id) as CustomerRow | undefined);
  }

  byExternalId(externalId: string): Customer | undefined {
    return this.load(this.stmt.byExternalId.get(externalId) as CustomerRow | undefined);
  }

  byExternalIds(externalIds: readonly string[]): Customer[] {
    return this.withChildren(this.stmt.byExternalIds.all(JSON.stringify(externalIds)) as CustomerRow[]);
  }

  versionOf(id: string): number | undefined {
    return this.stmt.versionOf.get(id) as number | undefined;
  }

  search(query: SearchQuery): SearchPage {
    const { statements, params } = this.searchSql.prepare(query);
    if (!statements.totalInPage) {
      const total = statements.count.get(params) as number;
      return { total, offset: query.offset, customers: this.withChildren(statements.page.all(params) as CustomerRow[]) };
    }
    const rows = statements.page.all(params) as CustomerRow[];
    const first = rows[0];
    const total = first !== undefined ? rowTotalMatches(first) ?? 0 : query.offset === 0 ? 0 : (statements.count.get(params) as number);
    return { total, offset: query.offset, customers: this.withChildren(rows) };
  }

  list(afterId: string, limit: number, updatedSince?: string): Customer[] {
    if (updatedSince !== undefined) {
      return this.withChildren(this.stmt.listAfterUpdatedSince.all({ afterId, limit, updatedSince }) as CustomerRow[]);
    }
    const rows = this.stmt.listAfter.all({ afterId, limit }) as CustomerRow[];
    const last = rows.at(-1);
    if (last === undefined) return [];
    const range = { afterId, lastId: rowId(last) };
    return assemble(rows, this.stmt.addressesBetween.all(range) as AddressRow[], this.stmt.contactsBetween.all(range) as ContactRow[]);
  }

  changes(sinceStamp: number, limit: number): ChangesPage {
    const changes = this.stmt.changesSince.all({ since: sinceStamp, limit }) as { customer_id: string; kind: ChangeKind; stamp: number }[];
    const live = changes.filter((c) => c.kind !== 'DELETED').map((c) => c.customer_id);
    const rows = new Map((this.stmt.byIds.all(JSON.stringify(live)) as CustomerRow[]).map((r) => [rowId(r), r]));
    const ordered = live.map((id) => rows.get(id)).filter((r): r is CustomerRow => r !== undefined);
    return {
      customers: this.withChildren(ordered),
      deletedIds: changes.filter((c) => c.kind === 'DELETED').map((c) => c.customer_id),
      nextStamp: changes.at(-1)?.stamp ?? sinceStamp,
    };
  }

  history(id: string): HistoryEntry[] {
    return (this.stmt.historyOf.all(id) as HistoryRow[]).map(toHistoryEntry);
  }

  insert(customer: Customer, by: Attribution, operation: 'CREATE' | 'UPSERT'): void {
    try {
      this.stmt.insertCustomer.run(customerValues(customer));
    } catch (err) {
      throw duplicateOf(err, customer);
    }
    this.writeChildren(customer);
    this.logChange(customer.id, 'CREATED', customer.version, customer.updatedAt, by, operation);
  }

  replace(customer: Customer, by: Attribution, operation: 'UPDATE' | 'UPSERT'): void {
    try {
      const [id, ...values] = customerValues(customer);
      this.stmt.updateCustomer.run(...values, id);
    } catch (err) {
      throw duplicateOf(err, customer);
    }
    this.stmt.deleteAddresses.run(customer.id);
    this.stmt.deleteContacts.run(customer.id);
    this.writeChildren(customer);
    this.logChange(customer.id, 'UPDATED', customer.version, customer.updatedAt, by, operation);
  }

  delete(id: string, now: string, by: Attribution): boolean {
    const version = this.stmt.deleteCustomer.get(id) as number | undefined;
    if (version === undefined) return false;
    this.logChange(id, 'DELETED', version, now, by, 'DELETE');
    return true;
  }

  creates(by: Attribution, operation: 'CREATE' | 'UPSERT'): PendingCreates {
    const pending = this.setInserts.collect(historyShared(by, operation));
    return {
      add: (customer) => pending.add(customer, this.nextStamp(customer.updatedAt)),
      flush: () => pending.flush(),
    };
  }

  private writeChildren(c: Customer): void {
    (c.addresses ?? []).forEach((a, i) => this.stmt.insertAddress.run(addressValues(c.id, a, i)));
    (c.contacts ?? []).forEach((k, i) => this.stmt.insertContact.run(contactValues(c.id, k, i)));
  }

  /**
   * The change in the change log, and its history line at the same stamp.
   * `version`: the one made, or for a delete the one deleted, which only the
   * history keeps (the change log has none for a delete: GetChanges needs none).
   */
  private logChange(customerId: string, kind: ChangeKind, version: number, at: string, by: Attribution, operation: HistoryOperation): void {
    const stamp = this.nextStamp(at);
    const values: ChangeValues = [stamp, customerId, kind, kind === 'DELETED' ? null : version];
    this.stmt.logChange.run(values);
    this.stmt.addHistory.run(customerId, stamp, version, at, ...historyShared(by, operation));
  }

  /** Stamps are unique and increase in commit order: max(now, last + 1 µs), inside the write lock. */
  private nextStamp(now: string): number {
    this.stampCursor ??= (this.stmt.lastStamp.get() as number | null) ?? 0;
    const stamp = Math.max(Date.parse(now) * 1000, this.stampCursor + 1);
    this.stampCursor = stamp;
    return stamp;
  }

  /** A customer with its children; the caller provides the transaction. */
  private load(row: CustomerRow | undefined): Customer | undefined {
    if (row === undefined) return undefined;
    const id = rowId(row);
    return assemble([row], this.stmt.addressesOfOne.all(id) as AddressRow[], this.stmt.contactsOfOne.all(id) as ContactRow[])[0];
  }

  /** Customers with addresses and contacts: three queries whatever the number of rows. */
  private withChildren(rows: readonly CustomerRow[]): Customer[] {
    if (rows.length === 0) return [];
    const ids = JSON.stringify(rows.map(rowId));
    return assemble(rows, this.stmt.addressesOf.all(ids) as AddressRow[], this.stmt.contactsOf.all(ids) as ContactRow[]);
  }
}
