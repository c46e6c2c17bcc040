// A chunk of a PARTIAL batch is first stored without a savepoint per record;
// when one record's write fails in SQLite itself (not in the upsert decision),
// that attempt is rolled back whole and the chunk redone record by record.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { BatchRecord, RecordResult } from '../../src/domain/batch.js';
import type { Customer, CustomerInput } from '../../src/domain/customer.js';
import { tempDir } from '../helpers/temp-dir.js';
import { storeChunk } from '../../src/operations/batch-writes.js';
import { batchResults, beginBatch, createCustomer, customerById, TEST_BY } from '../helpers/store.js';

describe('SQLite store: a batch chunk whose write fails in SQLite', () => {
  it('stores the other records once, the failing one not at all, and reports each', async () => {
    const dir = tempDir('crm-chunk-');
    const db = openDatabase(path.join(dir, 'crm.db'));
    // A write only SQLite refuses: the decision sees a new externalId, the
    // insert then breaks a unique index (as a concurrent writer's row would).
    db.exec(`CREATE TABLE taken (external_id TEXT UNIQUE);
      INSERT INTO taken VALUES ('ERP-2');
      CREATE TRIGGER take AFTER INSERT ON customers BEGIN INSERT INTO taken VALUES (new.external_id); END;`);
    const store = new SqliteStore(db);
    try {
      const now = new Date().toISOString();
      let n = 0;
      const newId = (): string => `id-${n++}`;
      await beginBatch(store, 'k', now);
      const records = [1, 2, 3].map((i) => ({ index: i, input: { externalId: `ERP-${i}`, type: 'PERSON' as const, name: `Chunk ${i}` } }));
      await storeChunk(store, 'k', records, { now, newId, by: TEST_BY }, undefined);
      const results = await batchResults(store, 'k', 0, 10);
      expect(results.map((r) => [r.index, r.status, r.error?.code])).to.deep.equal([
        [1, 'CREATED', undefined],
        [2, 'FAILED', 'DUPLICATE_EXTERNAL_ID'],
        [3, 'CREATED', undefined],
      ]);
      expect(db.prepare('SELECT external_id FROM customers ORDER BY external_id').pluck().all()).to.deep.equal(['ERP-1', 'ERP-3']);
      expect(db.prepare('SELECT count(*) FROM change_log').pluck().get()).to.equal(2);
      expect(db.prepare("SELECT external_id FROM taken ORDER BY external_id").pluck().all()).to.deep.equal(['ERP-1', 'ERP-2', 'ERP-3']);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The creates of a chunk are collected and inserted as a set (set-writes.ts);
// every other record is applied in turn after them. Whatever a chunk holds, the
// outcome must be that of the records applied one by one: the same results,
// the same rows, the same change log.
describe('SQLite store: a chunk applied at once equals its records applied one by one', () => {
  // Strings a JSON round trip through SQLite must keep exactly.
  const ODD = ['quote " and \\ backslash', 'tab\there', 'line\nbreak\r\nCRLF', 'emoji 😀 𝄞 outside the BMP', 'sep\u2028\u2029',
    'e\u0301 combining', '<&>\'', '  padded  ', '', '0042', '1e3', 'null', 'true', '[1,2]', '{"a":1}'];

  /** A deterministic mix of new, repeated, changed, conflicting and unreadable records over a small pool of keys. */
  function records(count: number, storedIds: readonly string[]): BatchRecord[] {
    let seed = 12345;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const odd = (): string => ODD[next(ODD.length)] as string;
    const input = (externalId: string | undefined): CustomerInput => ({
      externalId,
      type: next(2) === 0 ? 'PERSON' : 'ORGANIZATION',
      name: `${['Müller', 'Dupont', 'Ωmega', 'Smith'][next(4)] as string} ${next(3)} ${next(4) === 0 ? odd() : ''}`,
      email: next(2) === 0 ? undefined : `X${next(3)}@Example.COM`,
      phone: next(3) === 0 ? odd() : undefined,
      status: [undefined, 'PROSPECT', 'ACTIVE', 'INACTIVE'][next(4)] as CustomerInput['status'],
      vatNumber: next(3) === 0 ? odd() : undefined,
      addresses: next(4) === 0 ? undefined : Array.from({ length: next(3) }, () => ({
        type: (['BILLING', 'SHIPPING', 'OTHER'] as const)[next(3)] as 'BILLING',
        line1: odd() || 'x', line2: next(2) === 0 ? undefined : odd(), city: 'Köln', region: next(2) === 0 ? undefined : odd(),
        postalCode: next(2) === 0 ? undefined : '01234', country: ['DE', 'FR'][next(2)] as string,
      })),
      contacts: next(4) === 0 ? undefined : Array.from({ length: next(3) }, () => ({
        firstName: next(2) === 0 ? undefined : odd(), lastName: odd() || 'y', email: next(2) === 0 ? undefined : 'a@b.c',
        phone: undefined, role: next(2) === 0 ? undefined : odd(),
      })),
    });
    const sent = new Map<string, CustomerInput>();
    return Array.from({ length: count }, (_, i): BatchRecord => {
      const index = i + 1;
      const key = `K-${next(40)}`;
      switch (next(12)) {
        case 0: return { index, externalId: key, error: { code: 'VALIDATION_FAILED', message: 'unreadable' } };
        case 1: return { index, input: { ...input(undefined), id: undefined } };
        case 2: {
          // by the id of a stored customer, without an externalId (frees the one it had)
          return { index, input: { ...input(undefined), id: storedIds[next(storedIds.length)] as string } };
        }
        case 3: return { index, input: { ...input(key), id: `unknown-${index}` } };
        case 4: return { index, input: { ...input(key), version: 1 + next(3) } };
        case 5: case 6: {
          // the same data again (UNCHANGED when the key still holds it)
          const again = sent.get(key) ?? input(key);
          sent.set(key, again);
          return { index, input: again };
        }
        default: {
          const fresh = input(key);
          sent.set(key, fresh);
          return { index, input: fresh };
        }
      }
    });
  }

  async function run(chunkSize: number): Promise<{ results: unknown; rows: unknown }> {
    const dir = tempDir('crm-chunk-');
    const db = openDatabase(path.join(dir, 'crm.db'));
    const store = new SqliteStore(db);
    try {
      const now = '2026-11-29T12:00:00.000Z';
      let n = 0;
      const newId = (): string => `id-${String(n++).padStart(4, '0')}`;
      // customers stored before the batch, some under keys the batch uses
      for (const i of [3, 7, 11]) await createCustomer(store, { externalId: `K-${i}`, type: 'PERSON', name: `Before ${i}` }, newId(), now);
      // ids of customers stored before the batch and of some it creates (the ids are a counter)
      const all = records(400, ['id-0000', 'id-0001', 'id-0002', 'id-0010', 'id-0050']);
      await beginBatch(store, 'k', now);
      for (let i = 0; i < all.length; i += chunkSize) await storeChunk(store, 'k', all.slice(i, i + chunkSize), { now, newId, by: TEST_BY }, undefined);
      const results = await batchResults(store, 'k', 0, 1000);
      // each customer reads back as the last record that stored or matched it sent it
      const last = new Map(results.filter((r) => r.id !== undefined).map((r) => [r.id, r]));
      for (const r of last.values()) {
        const sent = all[r.index - 1]?.input;
        if (sent === undefined) continue;
        const stored = await customerById(store, r.id as string);
        const { id: _i, version: _v, ...fields } = sent;
        const { id: _si, version: _sv, createdAt: _c, updatedAt: _u, ...kept } = stored as Customer;
        expect(JSON.parse(JSON.stringify(kept)), `record ${r.index}`).to.deep.equal(JSON.parse(JSON.stringify({ ...fields, status: fields.status ?? 'ACTIVE' })));
      }
      const rows = Object.fromEntries(['customers ORDER BY pk', 'addresses ORDER BY customer_id, position', 'contacts ORDER BY customer_id, position',
        'change_log ORDER BY seq', 'customer_count'].map((t) => [t, db.prepare(`SELECT * FROM ${t}`).raw().all()]));
      const named = db.prepare("SELECT c.external_id FROM customer_names JOIN customers c ON c.pk = customer_names.rowid WHERE customer_names MATCH '\"ler\"' ORDER BY c.pk").pluck().all();
      return { results, rows: { ...rows, named } };
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('gives the same results and the same store for chunks of 1, 7 and 400 records', async () => {
    const one = await run(1);
    const statuses = new Set((one.results as RecordResult[]).map((r) => r.status));
    expect([...statuses].sort()).to.deep.equal(['CREATED', 'FAILED', 'UNCHANGED', 'UPDATED']);
    expect(await run(7)).to.deep.equal(one);
    expect(await run(400)).to.deep.equal(one);
  });
});

// The set inserts read their values back from JSON: a customer created by a
// batch chunk must be stored as one created alone, value for value and type
// for type (an integer read back as REAL, or '01234' as 1234, would not show
// in the comparison of chunk sizes above, where both sides are set inserts).
describe('SQLite store: a customer created by a batch chunk equals one created alone', () => {
  it('stores the same values with the same SQLite types in every table', async () => {
    const dir = tempDir('crm-chunk-');
    const db = openDatabase(path.join(dir, 'crm.db'));
    const store = new SqliteStore(db);
    try {
      const now = '2026-11-29T12:00:00.000Z';
      const input: CustomerInput = {
        type: 'ORGANIZATION', name: 'Zoë "Quote" \\ 😀', email: 'A@B.example', phone: '0042', vatNumber: '1e3',
        addresses: [{ type: 'SHIPPING', line1: 'l1', line2: '', city: 'Köln', region: 'null', postalCode: '01234', country: 'DE' }],
        contacts: [{ lastName: 'true', role: '[1]' }],
      };
      await createCustomer(store, { ...input, externalId: 'X' }, 'id-alone', now);
      await beginBatch(store, 'k', now);
      await storeChunk(store, 'k', [{ index: 1, input: { ...input, externalId: 'X2' } }], { now, newId: () => 'id-chunk', by: TEST_BY }, undefined);
      const rows = (table: string, columns: string): unknown[][] => (db.prepare(
        `SELECT ${columns.split(',').map((c) => `${c}, typeof(${c})`).join(', ')} FROM ${table} ORDER BY customer_id`,
      ).raw().all() as unknown[][]);
      const customers = db.prepare(`SELECT * FROM customers ORDER BY id`).raw().all() as unknown[][];
      const types = db.prepare(`SELECT ${['pk', 'id', 'external_id', 'type', 'name', 'name_folded', 'email', 'email_folded', 'phone', 'status',
        'vat_number', 'addresses_present', 'contacts_present', 'version', 'created_at', 'updated_at'].map((c) => `typeof(${c})`).join(', ')}
        FROM customers ORDER BY id`).raw().all() as unknown[][];
      expect(types[1]).to.deep.equal(types[0]);
      // same values apart from the key, the id and the externalId
      expect((customers[1] as unknown[]).slice(3)).to.deep.equal((customers[0] as unknown[]).slice(3));
      for (const [table, columns] of [
        ['addresses', 'position,type,line1,line2,city,region,postal_code,country'],
        ['contacts', 'position,first_name,last_name,email,phone,role'],
        ['change_log', 'kind,version'],
      ] as const) {
        const [alone, chunk] = rows(table, columns);
        expect(chunk, table).to.deep.equal(alone);
      }
      expect(db.prepare('SELECT typeof(stamp) FROM change_log').pluck().all()).to.deep.equal(['integer', 'integer']);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
