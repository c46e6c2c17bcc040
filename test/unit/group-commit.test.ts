// Group commit: concurrent single-record writes share a transaction, each in
// its own savepoint, and are acknowledged only once committed.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { WriteLock } from '../../src/store/sqlite/write-lock.js';
import { DuplicateExternalIdError, NotFoundError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';
import { createCustomer, customerById, TEST_BY } from '../helpers/store.js';
import { deleteCustomer } from '../../src/operations/delete-customer.js';
import { updateCustomer } from '../../src/operations/update-customer.js';

describe('group commit of single-record writes (SQLite store)', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  const groups: number[] = [];
  const now = (): string => new Date().toISOString();

  beforeEach(() => {
    dir = tempDir('crm-group-commit-');
    file = path.join(dir, 'crm.db');
    store = new SqliteStore(openDatabase(file));
    groups.length = 0;
    store.onCommit((writes) => groups.push(writes));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits writes issued together in one transaction, and each is readable once acknowledged', async () => {
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      createCustomer(store, { type: 'PERSON', name: `Grouped ${i}`, externalId: `GC-${i}` }, `id-${i}`, now())));
    expect(groups).to.deep.equal([20]);
    expect(created.map((c) => c.version)).to.deep.equal(Array(20).fill(1));
    // A second connection sees them: committed, not only visible inside this one.
    const other = openDatabase(file);
    try {
      expect(other.prepare('SELECT count(*) FROM customers').pluck().get()).to.equal(20);
      expect(other.prepare('SELECT count(DISTINCT stamp) FROM change_log').pluck().get()).to.equal(20);
    } finally {
      other.close();
    }
  });

  it('rejects only the write that fails, leaving no trace of it, and commits the others', async () => {
    await createCustomer(store, { type: 'PERSON', name: 'Taken', externalId: 'GC-TAKEN' }, 'taken', now());
    groups.length = 0;
    const outcomes = await Promise.allSettled([
      createCustomer(store, { type: 'PERSON', name: 'A', externalId: 'GC-A' }, 'a', now()),
      createCustomer(store, { type: 'PERSON', name: 'Dup', externalId: 'GC-TAKEN', addresses: [{ type: 'BILLING', line1: 'x', city: 'y', country: 'DE' }] }, 'dup', now()),
      deleteCustomer({ id: 'nobody' }, { store, now, newId: () => 'unused', by: TEST_BY }),
      updateCustomer({ id: 'taken', version: 1, type: 'ORGANIZATION', name: 'Taken Ltd', externalId: 'GC-TAKEN' }, { store, now, newId: () => 'unused', by: TEST_BY }),
    ]);
    expect(groups).to.deep.equal([4]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).to.be.instanceOf(DuplicateExternalIdError);
    expect((outcomes[2] as PromiseRejectedResult).reason).to.be.instanceOf(NotFoundError);
    expect(await customerById(store, 'dup')).to.equal(undefined);
    const db = openDatabase(file);
    try {
      expect(db.prepare("SELECT count(*) FROM addresses WHERE customer_id = 'dup'").pluck().get()).to.equal(0);
      expect(db.prepare("SELECT count(*) FROM change_log WHERE customer_id IN ('dup', 'nobody')").pluck().get()).to.equal(0);
    } finally {
      db.close();
    }
    expect((await customerById(store, 'taken'))?.version).to.equal(2);
    expect((await customerById(store, 'a'))?.name).to.equal('A');
  });

  it('commits a write issued alone on its own', async () => {
    await createCustomer(store, { type: 'PERSON', name: 'One' }, 'one', now());
    await createCustomer(store, { type: 'PERSON', name: 'Two' }, 'two', now());
    expect(groups).to.deep.equal([1, 1]);
  });

  it('while another process holds the write lock, gathers every write that arrives into the group that then commits', async () => {
    const grants: (() => void)[] = [];
    const lock: WriteLock = { acquire: () => new Promise<void>((resolve) => grants.push(resolve)), release: () => undefined };
    const locked = new SqliteStore(openDatabase(path.join(dir, 'locked.db')), lock);
    const lockedGroups: number[] = [];
    locked.onCommit((writes) => lockedGroups.push(writes));
    try {
      const first = createCustomer(locked, { type: 'PERSON', name: 'Early' }, 'early', now());
      await new Promise((resolve) => setImmediate(resolve));
      expect(grants).to.have.length(1);
      // Arriving while the first group waits for its turn: they join it, no second turn is asked for.
      const later = Array.from({ length: 5 }, (_, i) => createCustomer(locked, { type: 'PERSON', name: `Late ${i}` }, `late-${i}`, now()));
      await new Promise((resolve) => setImmediate(resolve));
      expect(grants).to.have.length(1);
      grants.shift()?.();
      await Promise.all([first, ...later]);
      expect(lockedGroups).to.deep.equal([6]);
    } finally {
      await locked.close();
    }
  });
});
