// SearchCustomers: a page of the customers matching every given filter.
import type { SearchPage, SearchQuery } from '../domain/search.js';
import type { OperationDeps } from './operation-deps.js';

export async function searchCustomers(query: SearchQuery, deps: OperationDeps): Promise<SearchPage> {
  return deps.store.read((unit) => unit.customers.search(query));
}
