// Write transactions keep their journals in memory; reads keep SQLite's
// default, so a large sort still spills to disk instead of growing the heap.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { writeTransaction } from '../../src/store/sqlite/write-transaction.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('SQLite store: write transactions', () => {
  const MEMORY = 2;
  const DEFAULT = 0;

  it('run with temp_store=MEMORY and restore the default after a commit and after a rollback', () => {
    const dir = tempDir('crm-write-tx-');
    const db = openDatabase(path.join(dir, 'crm.db'));
    try {
      const tempStore = (): unknown => db.pragma('temp_store', { simple: true });
      const write = writeTransaction(db);
      expect(tempStore()).to.equal(DEFAULT);
      expect(write(() => { expect(db.inTransaction).to.equal(true); return tempStore(); })).to.equal(MEMORY);
      expect(tempStore()).to.equal(DEFAULT);
      expect(() => write(() => {
        db.prepare("INSERT INTO customer_count (one, n) VALUES (1, 0)").run();
      })).to.throw(/UNIQUE|constraint/i);
      expect(tempStore()).to.equal(DEFAULT);
      expect(db.inTransaction).to.equal(false);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
