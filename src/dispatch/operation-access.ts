// What each operation does to the store, for authorisation (contract v1.1:
// a reader may call GetCustomer, SearchCustomers, GetChanges and every GET;
// a writer everything). Named as the stages see them: the operation table's
// names, the streamed ones, and the operator GETs that are not operations.
import type { Access } from '../domain/caller.js';

/** GET /exchange (the drop folder's state: paths and hosts) and GET /metrics (with CRM_METRICS_AUTH=on): not operations, but read like them. */
export const EXCHANGE_STATUS = 'ExchangeStatus';
export const METRICS = 'Metrics';

/**
 * Everything a reader may call; GET /xml/customers/{id} is GetCustomer, GET
 * /xml/customers SearchCustomers, GET /xml/export Export, GET
 * /xml/customers/{id}/history GetCustomerHistory.
 */
const READS: ReadonlySet<string> = new Set(['GetCustomer', 'SearchCustomers', 'GetChanges', 'Export', 'GetCustomerHistory', EXCHANGE_STATUS, METRICS]);

/**
 * `read` for the operations above, `write` for every other: a name this
 * table does not know (a new operation) needs a writer until it is listed,
 * rather than being open to readers by mistake. PreviewBatch (the dry run)
 * stores nothing but is the write's rehearsal, so it is a writer's.
 */
export function accessOf(operation: string): Access {
  return READS.has(operation) ? 'read' : 'write';
}
