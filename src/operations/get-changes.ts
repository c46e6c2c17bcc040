// GetChanges: what changed after a cursor, each customer once in its latest
// state, plus deletions, and the cursor for the next call.
import type { ChangesPage } from '../domain/changes.js';
import type { OperationDeps } from './operation-deps.js';

export interface ChangesQuery {
  readonly sinceStamp: number;
  readonly limit: number;
}

export async function getChanges(query: ChangesQuery, deps: OperationDeps): Promise<ChangesPage> {
  // One read transaction: the page and the customers in it are one snapshot.
  return deps.store.read((unit) => unit.customers.changes(query.sinceStamp, query.limit));
}
