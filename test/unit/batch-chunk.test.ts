// A chunk of a PARTIAL batch is first stored without a savepoint per record;
// when one record's write fails in SQLite itself (not in the upsert decision),
// that attempt is rolled back whole and the chunk redone record by record.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteCustomerStore } from '../../src/store/sqlite/sqlite-customer-store.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('SQLite store: a batch chunk whose write fails in SQLite', () => {
  it('stores the other records once, the failing one not at all, and reports each', async () => {
    const dir = tempDir('crm-chunk-');
    const db = openDatabase(path.join(dir, 'crm.db'));
    // A write only SQLite refuses: the decision sees a new externalId, the
    // insert then breaks a unique index (as a concurrent writer's row would).
    db.exec(`CREATE TABLE taken (external_id TEXT UNIQUE);
      INSERT INTO taken VALUES ('ERP-2');
      CREATE TRIGGER take AFTER INSERT ON customers BEGIN INSERT INTO taken VALUES (new.external_id); END;`);
    const store = new SqliteCustomerStore(db);
    try {
      const now = new Date().toISOString();
      let n = 0;
      const newId = (): string => `id-${n++}`;
      await store.beginBatch('k', undefined, 'PARTIAL', now);
      const records = [1, 2, 3].map((i) => ({ index: i, input: { externalId: `ERP-${i}`, type: 'PERSON' as const, name: `Chunk ${i}` } }));
      await store.applyBatchChunk('k', records, now, newId);
      const results = await store.batchResults('k', 0, 10);
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
