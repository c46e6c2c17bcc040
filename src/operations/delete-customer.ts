// DeleteCustomer: removes a customer with its addresses and contacts.
import type { OperationDeps } from './operation-deps.js';

export interface DeleteRequest {
  readonly id: string;
  /** When set (HTTP If-Match), the delete happens only at this version: VERSION_CONFLICT otherwise. */
  readonly expectedVersion?: number | undefined;
}

export async function deleteCustomer(request: DeleteRequest, deps: OperationDeps): Promise<string> {
  await deps.store.deleteCustomer(request.id, deps.now(), request.expectedVersion);
  return request.id;
}
