// Export: every customer (or those updated since a time), ordered by id, a
// page at a time so a store of any size streams out in bounded memory. Pages
// are read one after another, not in one snapshot: a customer written during
// an export appears in it or not, never half.
import type { Customer } from '../domain/customer.js';
import type { OperationDeps } from './operation-deps.js';

export interface ExportRequest {
  /** ISO timestamp (ms, UTC): customers whose updatedAt is at or after it. */
  readonly updatedSince?: string | undefined;
  readonly pageSize?: number;
}

export async function* exportCustomers(request: ExportRequest, deps: OperationDeps): AsyncGenerator<Customer[]> {
  // Small pages: each is built as one XML fragment, and a page's objects should
  // die young. Measured on 1M customers with the service's 4 MB semi-spaces
  // (crm-bridge export): 50 or 100 a page took 31-32 s and 99 MB of RSS; 200 a
  // page took 90 s and 151 MB, 42 % of it in the garbage collector, since each
  // page outlived the young generation and was promoted before it was dropped.
  const pageSize = request.pageSize ?? 50;
  for (let after = ''; ; ) {
    const page = await deps.store.read((unit) => unit.customers.list(after, pageSize, request.updatedSince));
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page.at(-1)?.id ?? after;
  }
}
