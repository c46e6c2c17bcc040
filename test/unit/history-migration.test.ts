// Migration 006 on a database that has customers already: their history is
// taken from the change log (operation, version, time; no actor, no request
// id), so a customer stored before v1.1 has a history too, and only one that
// never existed has none.
import { expect } from 'chai';
import path from 'node:path';
import { openDatabase } from '../../src/store/sqlite/open-database.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { createCustomer } from '../../src/operations/create-customer.js';
import { updateCustomer } from '../../src/operations/update-customer.js';
import { deleteCustomer } from '../../src/operations/delete-customer.js';
import type { RequestDeps } from '../../src/operations/operation-deps.js';
import type { HistoryEntry } from '../../src/domain/history.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('migration 006 (customer_history) on a store with changes', () => {
  it('takes the history of earlier changes from the change log, a delete with the version it deleted', async () => {
    const file = path.join(tempDir('crm-history-migration-'), 'crm.db');
    let ids = 0;
    const deps: RequestDeps = { store: new SqliteStore(openDatabase(file)), now: () => new Date().toISOString(), newId: () => `id-${++ids}`, by: { actor: 'old', requestId: 'r' } };
    const kept = await createCustomer({ type: 'PERSON', name: 'Kept' }, deps);
    const changed = await updateCustomer({ ...kept, name: 'Kept, renamed' }, deps);
    const gone = await createCustomer({ type: 'PERSON', name: 'Gone' }, deps);
    await updateCustomer({ ...gone, name: 'Gone, renamed' }, deps);
    await deleteCustomer({ id: gone.id }, deps);
    const written = (id: string) => deps.store.read((unit) => unit.customers.history(id));
    const before = [await written(kept.id), await written(gone.id)];
    await deps.store.close();

    // The database as v1.0 left it: no history table, migration 006 not applied.
    const old = openDatabase(file);
    old.exec('DROP TABLE customer_history; DELETE FROM schema_migrations WHERE version = 6');
    old.close();

    const store = new SqliteStore(openDatabase(file));
    try {
      const taken = [await store.read((unit) => unit.customers.history(kept.id)), await store.read((unit) => unit.customers.history(gone.id))];
      const unknown = (h: HistoryEntry): HistoryEntry => ({ ...h, actor: undefined, requestId: undefined });
      expect(taken).to.deep.equal(before.map((h) => h.map(unknown)));
      expect(taken[0]?.map((h) => [h.version, h.operation, h.at])).to.deep.equal([[1, 'CREATE', kept.createdAt], [2, 'UPDATE', changed.updatedAt]]);
      expect(taken[1]?.map((h) => [h.version, h.operation])).to.deep.equal([[1, 'CREATE'], [2, 'UPDATE'], [2, 'DELETE']]);
      expect(await store.read((unit) => unit.customers.history('never'))).to.deep.equal([]);
    } finally {
      await store.close();
    }
  });
});
