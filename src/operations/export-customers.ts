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
  // Small pages: each is built as one XML fragment, and bigger ones only raise peak memory.
  const pageSize = request.pageSize ?? 200;
  for (let after = ''; ; ) {
    const page = await deps.store.listCustomers(after, pageSize, request.updatedSince);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page.at(-1)?.id ?? after;
  }
}
