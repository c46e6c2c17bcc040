// Write transactions keep their journals in memory; reads keep SQLite's
// default, so a large sort still spills to disk instead of growing the heap.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import type { WriteLock } from '../../src/store/sqlite/write-lock.js';
import { BULK_CHECKPOINT_PAGES, writeTransaction } from '../../src/store/sqlite/write-transaction.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('SQLite store: write transactions', () => {
  const MEMORY = 2;
  const DEFAULT = 0;

  it('run with temp_store=MEMORY and restore the default after a commit and after a rollback', async () => {
    const dir = tempDir('crm-write-tx-');
    const db = openDatabase(path.join(dir, 'crm.db'));
    try {
      const tempStore = (): unknown => db.pragma('temp_store', { simple: true });
      const write = writeTransaction(db);
      expect(tempStore()).to.equal(DEFAULT);
      expect(await write(() => { expect(db.inTransaction).to.equal(true); return tempStore(); })).to.equal(MEMORY);
      expect(tempStore()).to.equal(DEFAULT);
      let error: unknown;
      await write(() => {
        db.prepare("INSERT INTO customer_count (one, n) VALUES (1, 0)").run();
      }).catch((err: unknown) => { error = err; });
      expect(String(error)).to.match(/UNIQUE|constraint/i);
      expect(tempStore()).to.equal(DEFAULT);
      expect(db.inTransaction).to.equal(false);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checkpoint a bulk write (a batch chunk) only past BULK_CHECKPOINT_PAGES, and restore the usual setting after a commit and after a rollback', async () => {
    const dir = tempDir('crm-write-bulk-');
    const db = openDatabase(path.join(dir, 'crm.db'));
    try {
      const pages = (): unknown => db.pragma('wal_autocheckpoint', { simple: true });
      const usual = pages();
      const write = writeTransaction(db);
      expect(await write(() => pages(), true)).to.equal(BULK_CHECKPOINT_PAGES);
      expect(pages()).to.equal(usual);
      expect(await write(() => pages())).to.equal(usual);
      await write(() => { throw new Error('refused'); }, true).catch(() => undefined);
      expect(pages()).to.equal(usual);
      expect(usual).to.not.equal(BULK_CHECKPOINT_PAGES);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('begin only once the write lock is granted, and give it back after a commit and after a rollback', async () => {
    const dir = tempDir('crm-write-lock-');
    const db = openDatabase(path.join(dir, 'crm.db'));
    try {
      const events: string[] = [];
      const grants: (() => void)[] = [];
      const lock: WriteLock = {
        acquire: () => { events.push('acquire'); return new Promise<void>((resolve) => grants.push(resolve)); },
        release: () => { events.push(`release (in transaction: ${String(db.inTransaction)})`); },
      };
      const write = writeTransaction(db, lock);
      const first = write(() => { events.push('work'); return 1; });
      const second = write(() => { events.push('work'); throw new Error('refused'); });
      await Promise.resolve();
      expect(events).to.deep.equal(['acquire', 'acquire']);
      grants.shift()?.();
      expect(await first).to.equal(1);
      expect(events).to.deep.equal(['acquire', 'acquire', 'work', 'release (in transaction: false)']);
      grants.shift()?.();
      let error: unknown;
      await second.catch((err: unknown) => { error = err; });
      expect(String(error)).to.contain('refused');
      expect(events.slice(4)).to.deep.equal(['work', 'release (in transaction: false)']);
    } finally {
      db.close();
    }
  });
});
