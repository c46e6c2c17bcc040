// A page of customers is read with a fixed number of queries, whatever its
// size: counted by wrapping the database handle the store is given.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { CustomerInput } from '../../src/domain/customer.js';
import { TrigramSample, trigramsOf } from '../../src/store/sqlite/trigram-sample.js';
import { customerCountStatement } from '../../src/store/sqlite/search-sql.js';
import { tempDir } from '../helpers/temp-dir.js';
import { finishBatch, storeChunk } from '../../src/operations/batch-writes.js';
import { beginBatch, customerById, TEST_BY } from '../helpers/store.js';

const EXECUTING = new Set(['get', 'all', 'run', 'iterate']);

function counting(db: Database.Database): { db: Database.Database; executed: () => number; reset: () => void } {
  let count = 0;
  const wrap = (stmt: Database.Statement): Database.Statement => {
    const proxy: Database.Statement = new Proxy(stmt, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (typeof prop === 'string' && EXECUTING.has(prop)) count += 1;
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  };
  const proxied = new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => wrap(target.prepare(sql));
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxied, executed: () => count, reset: () => { count = 0; } };
}

function customer(i: number): CustomerInput {
  return {
    externalId: `Q-${i}`,
    type: 'ORGANIZATION',
    name: `Queried ${i}`,
    addresses: [
      { type: 'BILLING', line1: 'a', city: 'b', country: 'DE' },
      { type: 'SHIPPING', line1: 'c', city: 'd', country: 'FR' },
    ],
    contacts: [{ lastName: 'Smith' }],
  };
}

describe('SQLite store: queries per page', () => {
  let store: SqliteStore;
  let counter: ReturnType<typeof counting>;
  before(async () => {
    const dir = tempDir('crm-queries-');
    counter = counting(openDatabase(path.join(dir, 'crm.db')));
    store = new SqliteStore(counter.db);
    let n = 0;
    const records = Array.from({ length: 600 }, (_, i) => ({ index: i + 1, input: customer(i) }));
    const now = new Date().toISOString();
    const newId = (): string => `id-${String(n++).padStart(4, '0')}`;
    await beginBatch(store, 'fill', now);
    await storeChunk(store, 'fill', records, { now, newId, by: TEST_BY }, undefined);
    expect((await finishBatch(store, 'fill', 'x', { now, newId, by: TEST_BY })).created).to.equal(600);
    // The first name search samples the stored names (see trigram-sample.ts); the figures below are every later one's.
    await store.read((u) => u.customers.search({ name: 'queried', offset: 0, limit: 1 }));
  });
  after(async () => { await store.close(); });

  for (const limit of [1, 50, 500]) {
    it(`SearchCustomers by name reads a page of ${limit} with its total, addresses and contacts in 3 queries`, async () => {
      counter.reset();
      const page = await store.read((u) => u.customers.search({ name: 'queried', offset: 0, limit }));
      expect(page.total).to.equal(600);
      expect(page.customers).to.have.length(limit);
      expect(page.customers[0]?.addresses).to.have.length(2);
      expect(page.customers[0]?.contacts).to.have.length(1);
      expect(counter.executed()).to.equal(3);
    });

    it(`SearchCustomers by status reads a page of ${limit} in 4 queries (count, page, addresses, contacts)`, async () => {
      counter.reset();
      const page = await store.read((u) => u.customers.search({ status: 'ACTIVE', offset: 0, limit }));
      expect(page.total).to.equal(600);
      expect(page.customers).to.have.length(limit);
      expect(counter.executed()).to.equal(4);
    });

    it(`GetChanges reads a page of ${limit} in 4 queries`, async () => {
      counter.reset();
      const page = await store.read((u) => u.customers.changes(0, limit));
      expect(page.customers).to.have.length(limit);
      expect(page.customers[0]?.contacts).to.have.length(1);
      expect(counter.executed()).to.equal(4);
    });
  }

  it('SearchCustomers by name still answers the total for a page past the end, and 0 when nothing matches', async () => {
    const past = await store.read((u) => u.customers.search({ name: 'queried', offset: 600, limit: 50 }));
    expect(past.total).to.equal(600);
    expect(past.customers).to.have.length(0);
    const none = await store.read((u) => u.customers.search({ name: 'no such name', offset: 0, limit: 50 }));
    expect(none.total).to.equal(0);
    expect(none.customers).to.have.length(0);
    const last = await store.read((u) => u.customers.search({ name: 'queried', offset: 590, limit: 50 }));
    expect(last.total).to.equal(600);
    expect(last.customers).to.have.length(10);
  });
});

describe('SQLite store: listing (the export)', () => {
  // Children of varying number and presence, so a page's children read as one
  // key range must still land on their own customers, at every page boundary.
  function varied(i: number): CustomerInput {
    const addresses = Array.from({ length: i % 3 }, (_, k) => ({ type: 'BILLING' as const, line1: `${i}-${k}`, city: 'c', country: 'DE' }));
    const contacts = Array.from({ length: i % 4 === 3 ? 0 : i % 4 }, (_, k) => ({ lastName: `L${i}-${k}` }));
    return {
      externalId: `L-${i}`,
      type: 'PERSON',
      name: `Listed ${i}`,
      addresses: i % 5 === 4 ? undefined : addresses,
      contacts: i % 7 === 6 ? undefined : contacts,
    };
  }

  it('reads every customer once, in id order, each with exactly its own addresses and contacts, in 3 queries a page', async () => {
    const counter = counting(openDatabase(path.join(tempDir('crm-list-'), 'crm.db')));
    const store = new SqliteStore(counter.db);
    try {
      const now = new Date().toISOString();
      let n = 0;
      // Ids in an order other than the records': the listing follows ids, not insertion.
      const newId = (): string => `id-${String((n++ * 37) % 100).padStart(3, '0')}`;
      await beginBatch(store, 'fill', now);
      await storeChunk(store, 'fill', Array.from({ length: 100 }, (_, i) => ({ index: i + 1, input: varied(i) })), { now, newId, by: TEST_BY }, undefined);
      await finishBatch(store, 'fill', 'x', { now, newId, by: TEST_BY });
      const listed = [];
      counter.reset();
      let pages = 0;
      for (let after = ''; ; ) {
        const page = await store.read((u) => u.customers.list(after, 7));
        pages += 1;
        listed.push(...page);
        if (page.length < 7) break;
        after = page.at(-1)?.id ?? after;
      }
      expect(pages).to.equal(15);
      expect(counter.executed()).to.equal(3 * pages);
      expect(listed.map((c) => c.id)).to.deep.equal(Array.from({ length: 100 }, (_, i) => `id-${String(i).padStart(3, '0')}`));
      for (const c of listed) {
        expect(c, c.id).to.deep.equal(await customerById(store, c.id));
        const i = Number(c.externalId?.slice(2));
        expect(c.addresses?.map((a) => a.line1), c.id).to.deep.equal(varied(i).addresses?.map((a) => a.line1));
        expect(c.contacts?.map((k) => k.lastName), c.id).to.deep.equal(varied(i).contacts?.map((k) => k.lastName));
      }
    } finally {
      await store.close();
    }
  });
});

describe('SQLite store: the WAL after a large batch', () => {
  it('is emptied when a batch of 10,000 records or more finishes, so later reads do not walk it', async () => {
    const dir = tempDir('crm-wal-');
    const file = path.join(dir, 'crm.db');
    const store = new SqliteStore(openDatabase(file));
    try {
      const now = new Date().toISOString();
      let n = 0;
      const newId = (): string => `wal-${String(n++).padStart(6, '0')}`;
      const records = (from: number, count: number): { index: number; input: CustomerInput }[] =>
        Array.from({ length: count }, (_, i) => ({ index: from + i + 1, input: customer(from + i) }));
      await beginBatch(store, 'small', now);
      await storeChunk(store, 'small', records(0, 10), { now, newId, by: TEST_BY }, undefined);
      await finishBatch(store, 'small', 'x', { now, newId, by: TEST_BY });
      expect(fs.statSync(`${file}-wal`).size, 'a small batch leaves the WAL to SQLite').to.be.greaterThan(0);
      await beginBatch(store, 'large', now);
      for (let from = 10; from < 10_010; from += 1000) await storeChunk(store, 'large', records(from, 1000), { now, newId, by: TEST_BY }, undefined);
      expect((await finishBatch(store, 'large', 'y', { now, newId, by: TEST_BY })).created).to.equal(10_000);
      expect(fs.statSync(`${file}-wal`).size).to.equal(0);
      expect((await store.read((u) => u.customers.search({ offset: 0, limit: 1 }))).total).to.equal(10_010);
      // A batch sent without batchId is forgotten once its report is read: that deletes as much as it stored.
      await store.read((u) => u.customers.search({ offset: 0, limit: 1 }));
      await store.write((u) => u.batches.delete('large'));
      expect(fs.statSync(`${file}-wal`).size).to.equal(0);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite store: which trigrams a name search asks the index for', () => {
  let dir: string;
  let db: Database.Database;
  let store: SqliteStore;
  before(async () => {
    dir = tempDir('crm-trigrams-');
    db = openDatabase(path.join(dir, 'crm.db'));
    store = new SqliteStore(db);
    let n = 0;
    const now = new Date().toISOString();
    await beginBatch(store, 'fill', now);
    await storeChunk(store, 'fill', Array.from({ length: 600 }, (_, i) => ({ index: i + 1, input: customer(i) })), { now, newId: () => `id-${n++}`, by: TEST_BY }, undefined);
    await finishBatch(store, 'fill', 'x', { now, newId: () => `id-${n++}`, by: TEST_BY });
  });
  after(async () => { await store.close(); });

  it('asks for the rarest trigram and leaves out those most names have', () => {
    // 'queried 12' is in 11 of 600 names: ' 12' is in those only, every other trigram in 111 or all.
    expect(new TrigramSample(db, customerCountStatement(db)).selective(trigramsOf('queried 12'))).to.deep.equal([' 12']);
  });

  it('asks for every trigram while the store is empty', () => {
    const empty = openDatabase(path.join(dir, 'empty.db'));
    try {
      expect(new TrigramSample(empty, customerCountStatement(empty)).selective(trigramsOf('abcd'))).to.deep.equal(['abc', 'bcd']);
    } finally {
      empty.close();
    }
  });

  it('finds exactly the names that contain the term, as a scan without the index does', async () => {
    for (const term of ['queried 12', 'ried 59', 'd 1', 'queried', 'no such name']) {
      const page = await store.read((u) => u.customers.search({ name: term, offset: 0, limit: 1000 }));
      const expected = Array.from({ length: 600 }, (_, i) => `queried ${i}`).filter((n) => n.includes(term)).length;
      expect(page.total, term).to.equal(expected);
      expect(page.customers.map((c) => c.name.toLowerCase()).every((n) => n.includes(term)), term).to.equal(true);
    }
  });
});
