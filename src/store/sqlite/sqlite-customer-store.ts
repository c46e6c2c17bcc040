// CustomerStore on better-sqlite3: the service's SQL lives in this folder,
// prepared once. Each public method is one synchronous transaction (a
// transaction never spans an await); the async signature is the boundary.
// Write transactions are IMMEDIATE, so a second process on the same file (the
// CLI beside the server) waits for the lock instead of failing half-way.
import type Database from 'better-sqlite3';
import { leaseFrom, type BatchMode, type BatchRecord, type BatchStart, type BatchSummary, type RecordErrorCode, type RecordResult } from '../../domain/batch.js';
import type { ChangesPage } from '../../domain/changes.js';
import { DEFAULT_STATUS, type Customer, type CustomerInput } from '../../domain/customer.js';
import type { ExchangeClaim, ExchangeFile, ExchangeLedger, FileError, FileOutcome } from '../../domain/drop-folder.js';
import type { LeaseHolder, RunningBatch } from '../../domain/lease-holder.js';
import type { SearchPage, SearchQuery } from '../../domain/search.js';
import { decideUpsert, type UpsertDecision } from '../../domain/upsert-decision.js';
import {
  BridgeError,
  DuplicateExternalIdError,
  NotFoundError,
  VersionConflictError,
} from '../../errors.js';
import type { ChangeKind, CustomerStore } from '../customer-store.js';
import {
  ADDRESS_COLUMNS,
  CONTACT_COLUMNS,
  ADDRESS_WRITE_COLUMNS,
  CHANGE_WRITE_COLUMNS,
  CONTACT_WRITE_COLUMNS,
  CUSTOMER_WRITE_COLUMNS,
  addressValues,
  assemble,
  contactValues,
  customerColumns,
  customerValues,
  insertFromJsonSql,
  insertSql,
  rowId,
  rowTotalMatches,
  rowVersion,
  type AddressRow,
  type ChangeValues,
  type ContactRow,
  type CustomerRow,
} from './customer-rows.js';
import { ExchangeLedgerSql } from './drop-folder-ledger-sql.js';
import { GroupCommit } from './group-commit.js';
import { SearchSql } from './search-sql.js';
import { transactionRunners, type InTransaction } from './in-transaction.js';
import { SET_ROWS, SetInserts } from './set-writes.js';
import { singleProcess, type WriteLock } from './write-lock.js';
import { writeTransaction, type WriteTransaction } from './write-transaction.js';

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Thrown inside an ATOMIC batch to roll its records back; never leaves this module. */
class AtomicRollback extends Error {
  constructor(readonly results: RecordResult[]) {
    super('atomic batch rolled back');
  }
}

interface BatchRow {
  batch_key: string;
  batch_id: string | null;
  mode: BatchMode;
  state: 'RUNNING' | 'DONE';
  fingerprint: string | null;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  lease_until: string;
  holder_host: string | null;
  holder_pid: number | null;
}

interface ResultRow {
  idx: number;
  external_id: string | null;
  customer_id: string | null;
  status: RecordResult['status'];
  code: RecordErrorCode | null;
  message: string | null;
}

/**
 * The customer to store from `input`, every field named (the mapped type makes
 * leaving one out a compile error). Not a spread: `{ ...input }` of a record
 * as a worker thread's message delivers it (v8.deserialize) took ~9.5 µs, of
 * one parsed from JSON ~7.5 µs, this literal ~0.1-0.2 µs (1000 records, 200
 * rounds).
 */
function storedCustomer(input: CustomerInput, id: string, version: number, createdAt: string, updatedAt: string): Customer {
  const c: { [K in keyof Required<Customer>]: Customer[K] } = {
    id,
    externalId: input.externalId,
    type: input.type,
    name: input.name,
    email: input.email,
    phone: input.phone,
    status: input.status ?? DEFAULT_STATUS,
    vatNumber: input.vatNumber,
    addresses: input.addresses,
    contacts: input.contacts,
    version,
    createdAt,
    updatedAt,
  };
  return c;
}

/** A customer as created from `input` (whose own id and version, if any, are not used). */
function newCustomer(input: CustomerInput, id: string, now: string): Customer {
  return storedCustomer(input, id, 1, now, now);
}

/** batch_results' columns after the batch key, in the order of resultValues(). */
const RESULT_WRITE_COLUMNS = ['idx', 'external_id', 'customer_id', 'status', 'code', 'message'] as const;

function resultValues(r: RecordResult): readonly [number, string | null, string | null, string, string | null, string | null] {
  return [r.index, r.externalId ?? null, r.id ?? null, r.status, r.error?.code ?? null, r.error?.message ?? null];
}

function summaryOf(row: BatchRow): BatchSummary {
  return { batchId: row.batch_id ?? undefined, created: row.created, updated: row.updated, unchanged: row.unchanged, failed: row.failed };
}

/** An ATOMIC batch with a failure: the failures keep their error, every other record says it was rolled back. */
function rolledBack(results: readonly RecordResult[]): RecordResult[] {
  const first = results.find((r) => r.status === 'FAILED')?.index ?? 0;
  return results.map((r): RecordResult => r.status === 'FAILED' ? r : {
    index: r.index,
    externalId: r.externalId,
    status: 'FAILED',
    error: { code: 'ROLLED_BACK', message: `Not stored: record ${first} failed and the batch is ATOMIC` },
  });
}

/** Records from which a finished or forgotten batch empties the WAL (emptyWal). */
const LARGE_BATCH = 10_000;

function isLarge(s: BatchSummary): boolean {
  return s.created + s.updated + s.unchanged + s.failed >= LARGE_BATCH;
}

export class SqliteCustomerStore implements CustomerStore {
  private readonly stmt;
  private readonly search: SearchSql;
  private readonly transaction: WriteTransaction;
  private readonly ledger: ExchangeLedgerSql;
  /** One customer by a unique key, in a read transaction of its own. */
  private readonly getOne: (lookup: Database.Statement, key: string) => Customer | undefined;
  /** Runs a function in a read transaction, or in a SAVEPOINT inside a write. */
  private readonly inTransaction: InTransaction;
  /** The last change stamp, cached for the length of one write transaction (which holds the lock). */
  private stampCursor: number | undefined;
  /** Single-record writes, committed in groups: one fsync for every write that arrived meanwhile. */
  private readonly group: GroupCommit;
  private readonly setInserts: SetInserts;

  /** `lock`: when several processes write to this database (CRM_WORKERS), the turn-taking between them. */
  constructor(private readonly db: Database.Database, lock: WriteLock = singleProcess) {
    this.search = new SearchSql(db);
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
      deleteCustomer: db.prepare('DELETE FROM customers WHERE id = ?'),
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
      // The latest change of each customer after the cursor, in stamp order.
      changesSince: db.prepare(`SELECT l.customer_id, l.kind, l.stamp FROM change_log l
        WHERE l.stamp > @since
          AND l.stamp = (SELECT max(m.stamp) FROM change_log m WHERE m.customer_id = l.customer_id)
        ORDER BY l.stamp LIMIT @limit`),
      batchById: db.prepare('SELECT * FROM batches WHERE batch_id = ?'),
      batchByKey: db.prepare('SELECT * FROM batches WHERE batch_key = ?'),
      insertBatch: db.prepare(`INSERT INTO batches (batch_key, batch_id, mode, state, lease_until, created_at, holder_host, holder_pid)
        VALUES (@key, @batchId, @mode, 'RUNNING', @leaseUntil, @now, @host, @pid)`),
      lastDone: db.prepare(`SELECT max(idx) FROM (
          SELECT max(idx) AS idx FROM batch_results WHERE batch_key = @key
          UNION ALL SELECT max(idx) FROM batch_staging WHERE batch_key = @key)`).pluck(),
      renewLease: db.prepare('UPDATE batches SET lease_until = @leaseUntil WHERE batch_key = @key'),
      takeLease: db.prepare('UPDATE batches SET lease_until = @leaseUntil, holder_host = @host, holder_pid = @pid WHERE batch_key = @key'),
      countResults: db.prepare(`UPDATE batches SET
        created = created + @created, updated = updated + @updated, unchanged = unchanged + @unchanged, failed = failed + @failed
        WHERE batch_key = @key`),
      finishBatch: db.prepare(`UPDATE batches SET state = 'DONE', fingerprint = @fingerprint, finished_at = @now
        WHERE batch_key = @key`),
      deleteBatch: db.prepare('DELETE FROM batches WHERE batch_key = ?'),
      // Results SET_ROWS at a time: the batch key, then a JSON array of resultValues().
      insertResults: db.prepare(insertFromJsonSql('batch_results', RESULT_WRITE_COLUMNS, { shared: ['batch_key'], orReplace: true })),
      results: db.prepare(`SELECT ${RESULT_WRITE_COLUMNS.join(', ')} FROM batch_results
        WHERE batch_key = ? AND idx > ? ORDER BY idx LIMIT ?`),
      stage: db.prepare('INSERT OR REPLACE INTO batch_staging (batch_key, idx, record) VALUES (@key, @index, @record)'),
      staged: db.prepare('SELECT idx, record FROM batch_staging WHERE batch_key = ? ORDER BY idx'),
      unstage: db.prepare('DELETE FROM batch_staging WHERE batch_key = ?'),
      ping: db.prepare('SELECT 1'),
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
    this.setInserts = new SetInserts(db);
    this.transaction = writeTransaction(db, lock);
    this.inTransaction = transactionRunners(db).run;
    this.ledger = new ExchangeLedgerSql(db, (work) => this.write(work), this.inTransaction, (key) => (this.stmt.lastDone.get({ key }) as number | null) ?? 0);
    this.group = new GroupCommit(this.transaction, this.inTransaction, () => { this.stampCursor = undefined; });
    // The customer row and its children from one snapshot, even while another
    // process writes; and one read transaction costs less than the three
    // implicit ones of statements run on their own (measured ~50 -> ~36 µs a get).
    this.getOne = db.transaction((lookup: Database.Statement, key: string): Customer | undefined =>
      this.load(lookup.get(key) as CustomerRow | undefined));
  }

  async createCustomer(input: CustomerInput, id: string, now: string): Promise<Customer> {
    return this.group.run(() => this.insert(input, id, now));
  }

  async getCustomerById(id: string): Promise<Customer | undefined> {
    return this.getOne(this.stmt.byId, id);
  }

  async getCustomerByExternalId(externalId: string): Promise<Customer | undefined> {
    return this.getOne(this.stmt.byExternalId, externalId);
  }

  async updateCustomer(input: CustomerInput & { id: string; version: number }, now: string): Promise<Customer> {
    return this.group.run(() => {
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
    return this.group.run(() => {
      if (expectedVersion !== undefined) {
        const stored = this.stmt.byId.get(id) as CustomerRow | undefined;
        if (stored !== undefined && rowVersion(stored) !== expectedVersion) {
          throw new VersionConflictError(`Customer '${id}' is at version ${rowVersion(stored)}, not ${expectedVersion}`);
        }
      }
      const result = this.stmt.deleteCustomer.run(id);
      if (result.changes === 0) throw new NotFoundError(`No customer with id '${id}'`);
      this.logChange(id, 'DELETED', null, now);
    });
  }

  async searchCustomers(query: SearchQuery): Promise<SearchPage> {
    return this.inTransaction((): SearchPage => {
      const { statements, params } = this.search.prepare(query);
      if (!statements.totalInPage) {
        const total = statements.count.get(params) as number;
        return { total, offset: query.offset, customers: this.withChildren(statements.page.all(params) as CustomerRow[]) };
      }
      const rows = statements.page.all(params) as CustomerRow[];
      const first = rows[0];
      const total = first !== undefined ? rowTotalMatches(first) ?? 0 : query.offset === 0 ? 0 : (statements.count.get(params) as number);
      return { total, offset: query.offset, customers: this.withChildren(rows) };
    });
  }

  async listCustomers(afterId: string, limit: number, updatedSince?: string): Promise<Customer[]> {
    return this.inTransaction((): Customer[] => {
      if (updatedSince !== undefined) {
        return this.withChildren(this.stmt.listAfterUpdatedSince.all({ afterId, limit, updatedSince }) as CustomerRow[]);
      }
      const rows = this.stmt.listAfter.all({ afterId, limit }) as CustomerRow[];
      const last = rows.at(-1);
      if (last === undefined) return [];
      const range = { afterId, lastId: rowId(last) };
      return assemble(rows, this.stmt.addressesBetween.all(range) as AddressRow[], this.stmt.contactsBetween.all(range) as ContactRow[]);
    });
  }

  async getChanges(sinceStamp: number, limit: number): Promise<ChangesPage> {
    // One read transaction: the page and the customers in it are one snapshot.
    return this.inTransaction((): ChangesPage => {
      const changes = this.stmt.changesSince.all({ since: sinceStamp, limit }) as { customer_id: string; kind: ChangeKind; stamp: number }[];
      const live = changes.filter((c) => c.kind !== 'DELETED').map((c) => c.customer_id);
      const rows = new Map((this.stmt.byIds.all(JSON.stringify(live)) as CustomerRow[]).map((r) => [rowId(r), r]));
      const ordered = live.map((id) => rows.get(id)).filter((r): r is CustomerRow => r !== undefined);
      return {
        customers: this.withChildren(ordered),
        deletedIds: changes.filter((c) => c.kind === 'DELETED').map((c) => c.customer_id),
        nextStamp: changes.at(-1)?.stamp ?? sinceStamp,
      };
    });
  }

  async beginBatch(key: string, batchId: string | undefined, mode: BatchMode, now: string, holder: LeaseHolder, mayResume: (running: RunningBatch) => boolean): Promise<BatchStart> {
    return this.write((): BatchStart => {
      const leaseUntil = leaseFrom(now);
      const known = batchId === undefined ? undefined : (this.stmt.batchById.get(batchId) as BatchRow | undefined);
      if (known === undefined) {
        this.stmt.insertBatch.run({ key, batchId: batchId ?? null, mode, leaseUntil, now, host: holder.host, pid: holder.pid });
        return { state: 'NEW', key, resumeAfter: 0 };
      }
      if (known.state === 'DONE') return { state: 'DONE', key: known.batch_key, fingerprint: known.fingerprint ?? '' };
      const running: RunningBatch = {
        holder: known.holder_host === null || known.holder_pid === null ? undefined : { host: known.holder_host, pid: known.holder_pid },
        leaseUntil: known.lease_until,
      };
      if (!mayResume(running)) return { state: 'HELD', key: known.batch_key, running };
      // Its holder is gone: each stored chunk committed with its results, so go on after the last one.
      this.stmt.takeLease.run({ key: known.batch_key, leaseUntil, host: holder.host, pid: holder.pid });
      const done = (this.stmt.lastDone.get({ key: known.batch_key }) as number | null) ?? 0;
      return { state: 'NEW', key: known.batch_key, resumeAfter: done };
    });
  }

  async applyBatchChunk(key: string, records: readonly BatchRecord[], now: string, newId: () => string): Promise<void> {
    const apply = (guarded: boolean) => (): void => {
      const batch = this.batchRow(key);
      this.stmt.renewLease.run({ key, leaseUntil: leaseFrom(now) });
      if (batch.mode === 'ATOMIC') {
        for (const r of records) this.stmt.stage.run({ key, index: r.index, record: JSON.stringify(r) });
        return;
      }
      this.saveResults(key, guarded ? records.map((r) => this.applyRecord(r, now, newId, true)) : this.applyChunk(records, now, newId));
    };
    try {
      // Fast path: records whose decision is to fail write nothing, so no
      // savepoint per record is needed, nor one around the chunk (which cost
      // ~40 µs a record: 120 -> 79 µs without it, storing 100k customers)...
      await this.write(apply(false), true);
    } catch {
      // ...unless a write itself fails: its transaction is rolled back whole,
      // and the chunk redone with one savepoint per record.
      await this.write(apply(true), true);
    }
  }

  async finishBatch(key: string, fingerprint: string, now: string, newId: () => string): Promise<BatchSummary> {
    const summary = await this.write((): BatchSummary => {
      const batch = this.batchRow(key);
      if (batch.mode === 'ATOMIC') {
        const staged = (this.stmt.staged.all(key) as { idx: number; record: string }[]).map((r) => JSON.parse(r.record) as BatchRecord);
        let results: RecordResult[];
        try {
          results = this.inTransaction(() => {
            const applied = staged.map((r) => this.applyRecord(r, now, newId, true));
            if (applied.some((r) => r.status === 'FAILED')) throw new AtomicRollback(applied);
            return applied;
          });
        } catch (err) {
          if (!(err instanceof AtomicRollback)) throw err;
          results = rolledBack(err.results);
        }
        this.stmt.unstage.run(key);
        this.saveResults(key, results);
      }
      this.stmt.finishBatch.run({ key, fingerprint, now });
      return summaryOf(this.batchRow(key));
    });
    if (isLarge(summary)) this.emptyWal();
    return summary;
  }

  /**
   * Copies the WAL into the database and truncates it. After a large import
   * the WAL holds thousands of frames until the next write restarts it, and
   * every page read looks through them: GET /xml/export of 1M customers right
   * after importing them took 72 s, 21 s from a fresh process, and with the
   * WAL emptied at 100k customers 3.5 s instead of 7.2 s.
   */
  private emptyWal(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async batchSummary(key: string): Promise<BatchSummary> {
    return summaryOf(this.batchRow(key));
  }

  async batchResults(key: string, afterIndex: number, limit: number): Promise<RecordResult[]> {
    return (this.stmt.results.all(key, afterIndex, limit) as ResultRow[]).map((r) => ({
      index: r.idx,
      externalId: r.external_id ?? undefined,
      id: r.customer_id ?? undefined,
      status: r.status,
      error: r.code === null ? undefined : { code: r.code, message: r.message ?? '' },
    }));
  }

  async forgetBatch(key: string): Promise<void> {
    // Deleting a large batch's results writes as much WAL as storing them did.
    const large = await this.write(() => {
      const row = this.stmt.batchByKey.get(key) as BatchRow | undefined;
      this.stmt.deleteBatch.run(key);
      return row !== undefined && isLarge(summaryOf(row));
    });
    if (large) this.emptyWal();
  }

  onCommit(listener: (writes: number) => void): void {
    this.group.onCommit(listener);
  }

  async startExchangeFile(file: ExchangeFile, batchKey: string): Promise<void> {
    await this.ledger.startFile(file, batchKey);
  }

  async finishExchangeFile(file: ExchangeFile, outcome: FileOutcome, now: string, error?: FileError): Promise<void> {
    await this.ledger.finishFile(file, outcome, now, error);
  }

  async failExchangeFile(file: ExchangeFile, error: FileError, now: string): Promise<void> {
    await this.ledger.failFile(file, error, now);
  }

  async holdExchangeClaim(file: ExchangeFile, now: string): Promise<ExchangeClaim | undefined> {
    return this.ledger.holdClaim(file, now);
  }

  async readExchangeClaim(file: ExchangeFile): Promise<ExchangeClaim> {
    return this.ledger.claim(file);
  }

  async takeOverExchangeClaim(from: ExchangeFile, to: ExchangeFile, now: string): Promise<void> {
    await this.ledger.takeOver(from, to, now);
  }

  async exchangeLedger(claims: readonly string[]): Promise<ExchangeLedger> {
    return this.ledger.read(claims);
  }

  async ping(): Promise<void> {
    this.stmt.ping.get();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /**
   * One record: decide (reads only), then write. `guarded` writes in a
   * savepoint of their own, so a record whose write fails leaves no trace;
   * unguarded, a failing write throws to the caller.
   */
  private applyRecord(record: BatchRecord, now: string, newId: () => string, guarded: boolean): RecordResult {
    const input = record.input;
    const externalId = input?.externalId ?? record.externalId;
    if (input === undefined) return { index: record.index, externalId, status: 'FAILED', error: record.error };
    const byExternalId = input.externalId === undefined ? undefined : this.load(this.stmt.byExternalId.get(input.externalId) as CustomerRow | undefined);
    const byId = input.id === undefined ? undefined : this.load(this.stmt.byId.get(input.id) as CustomerRow | undefined);
    const decision = decideUpsert(input, byExternalId, byId);
    const write = (): RecordResult => this.applyDecision(record.index, input, decision, now, newId);
    if (!guarded || decision.kind === 'fail') return write();
    try {
      return this.inTransaction(write);
    } catch (err) {
      const e = this.asBridgeError(err, input.externalId);
      return { index: record.index, externalId, status: 'FAILED', error: { code: e.code, message: e.message } };
    }
  }

  /** What a record's decision writes (nothing unless it creates or updates), and its result. */
  private applyDecision(index: number, input: CustomerInput, decision: UpsertDecision, now: string, newId: () => string): RecordResult {
    const externalId = input.externalId;
    switch (decision.kind) {
      case 'fail':
        return { index, externalId, status: 'FAILED', error: { code: decision.error.code, message: decision.error.message } };
      case 'unchanged':
        return { index, externalId, id: decision.target.id, status: 'UNCHANGED' };
      case 'update':
        this.replace(input, decision.target, now);
        return { index, externalId, id: decision.target.id, status: 'UPDATED' };
      case 'create':
        return { index, externalId, id: this.insert(input, newId(), now).id, status: 'CREATED' };
    }
  }

  /**
   * A chunk's records in order, with the effect of applyRecord on each in
   * turn, but reading and creating in sets. The customers the chunk's
   * externalIds name are read first, in three queries; a record that names no
   * id is decided against that read, as long as no earlier record of the
   * chunk named its externalId (and may have created or changed that
   * customer) and none named an id (which may change a customer under another
   * externalId). Its create is collected and inserted by set statements
   * (set-writes.ts); an update is written at once, after the creates
   * collected so far. Every other record goes through applyRecord, after
   * those creates, so it reads what the records before it wrote.
   */
  private applyChunk(records: readonly BatchRecord[], now: string, newId: () => string): RecordResult[] {
    const keys = records.flatMap((r) => (r.input?.externalId === undefined ? [] : [r.input.externalId]));
    const read = this.withChildren(this.stmt.byExternalIds.all(JSON.stringify(keys)) as CustomerRow[]);
    const stored = new Map(read.map((c) => [c.externalId, c]));
    const named = new Set<string>();
    let readIsCurrent = true;
    const creates = this.setInserts.collect();
    const results = records.map((record): RecordResult => {
      const input = record.input;
      if (input === undefined) return this.applyRecord(record, now, newId, false);
      const externalId = input.externalId;
      if (externalId !== undefined && input.id === undefined && !named.has(externalId) && readIsCurrent) {
        named.add(externalId);
        const target = stored.get(externalId);
        if (target === undefined) {
          const customer = newCustomer(input, newId(), now);
          creates.add(customer, this.nextStamp(now));
          return { index: record.index, externalId, id: customer.id, status: 'CREATED' };
        }
        const decision = decideUpsert(input, target, undefined);
        if (decision.kind === 'update') creates.flush();
        return this.applyDecision(record.index, input, decision, now, newId);
      }
      if (externalId !== undefined) named.add(externalId);
      if (input.id !== undefined) readIsCurrent = false;
      creates.flush();
      return this.applyRecord(record, now, newId, false);
    });
    creates.flush();
    return results;
  }

  private saveResults(key: string, results: readonly RecordResult[]): void {
    const count = { key, created: 0, updated: 0, unchanged: 0, failed: 0 };
    const rows = results.map((r) => {
      count[r.status.toLowerCase() as 'created' | 'updated' | 'unchanged' | 'failed'] += 1;
      return resultValues(r);
    });
    for (let i = 0; i < rows.length; i += SET_ROWS) this.stmt.insertResults.run(key, JSON.stringify(rows.slice(i, i + SET_ROWS)));
    this.stmt.countResults.run(count);
  }

  private batchRow(key: string): BatchRow {
    const row = this.stmt.batchByKey.get(key) as BatchRow | undefined;
    if (row === undefined) throw new NotFoundError(`No batch '${key}'`);
    return row;
  }

  /** Runs `work` as one IMMEDIATE transaction (`bulk`: a batch chunk's, see write-transaction.ts). */
  private write<T>(work: () => T, bulk = false): Promise<T> {
    return this.transaction(() => {
      // Another process may have logged changes since this one last wrote.
      this.stampCursor = undefined;
      return work();
    }, bulk);
  }

  private asBridgeError(err: unknown, externalId: string | undefined): BridgeError {
    if (err instanceof BridgeError) return err;
    if (isUniqueViolation(err)) return new DuplicateExternalIdError(`externalId '${externalId ?? ''}' belongs to another customer`);
    throw err;
  }

  private insert(input: CustomerInput, id: string, now: string): Customer {
    const customer = newCustomer(input, id, now);
    try {
      this.stmt.insertCustomer.run(customerValues(customer));
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateExternalIdError(`externalId '${input.externalId ?? ''}' belongs to another customer`);
      throw err;
    }
    this.writeChildren(customer);
    this.logChange(id, 'CREATED', 1, now);
    return customer;
  }

  /** Overwrites `stored` with `input`'s data: same id, version + 1, createdAt kept. */
  private replace(input: CustomerInput, stored: Customer, now: string): Customer {
    const customer = storedCustomer(input, stored.id, stored.version + 1, stored.createdAt, now);
    try {
      const [id, ...values] = customerValues(customer);
      this.stmt.updateCustomer.run(...values, id);
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
    (c.addresses ?? []).forEach((a, i) => this.stmt.insertAddress.run(addressValues(c.id, a, i)));
    (c.contacts ?? []).forEach((k, i) => this.stmt.insertContact.run(contactValues(c.id, k, i)));
  }

  /** Stamps are unique and increase in commit order: max(now, last + 1 µs), inside the write lock. */
  private logChange(customerId: string, kind: ChangeKind, version: number | null, now: string): void {
    const values: ChangeValues = [this.nextStamp(now), customerId, kind, version];
    this.stmt.logChange.run(values);
  }

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
