// A page of customers is read with a fixed number of queries, whatever its
// size: counted by wrapping the database handle the store is given.
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteCustomerStore } from '../../src/store/sqlite/sqlite-customer-store.js';
import type { CustomerInput } from '../../src/domain/customer.js';

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
  let store: SqliteCustomerStore;
  let counter: ReturnType<typeof counting>;
  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-queries-'));
    counter = counting(openDatabase(path.join(dir, 'crm.db')));
    store = new SqliteCustomerStore(counter.db);
    let n = 0;
    const records = Array.from({ length: 600 }, (_, i) => ({ index: i + 1, input: customer(i) }));
    const now = new Date().toISOString();
    const newId = (): string => `id-${String(n++).padStart(4, '0')}`;
    await store.beginBatch('fill', undefined, 'PARTIAL', now);
    await store.applyBatchChunk('fill', records, now, newId);
    expect((await store.finishBatch('fill', 'x', now, newId)).created).to.equal(600);
  });
  after(async () => { await store.close(); });

  for (const limit of [1, 50, 500]) {
    it(`SearchCustomers reads a page of ${limit} with its addresses and contacts in 4 queries`, async () => {
      counter.reset();
      const page = await store.searchCustomers({ name: 'queried', offset: 0, limit });
      expect(page.customers).to.have.length(limit);
      expect(page.customers[0]?.addresses).to.have.length(2);
      expect(page.customers[0]?.contacts).to.have.length(1);
      expect(counter.executed()).to.equal(4);
    });

    it(`GetChanges reads a page of ${limit} in 4 queries`, async () => {
      counter.reset();
      const page = await store.getChanges(0, limit);
      expect(page.customers).to.have.length(limit);
      expect(page.customers[0]?.contacts).to.have.length(1);
      expect(counter.executed()).to.equal(4);
    });
  }
});
