// DeleteCustomer: removes a customer with its addresses and contacts.
import { checkDelete } from '../domain/version-check.js';
import type { OperationDeps } from './operation-deps.js';

export interface DeleteRequest {
  readonly id: string;
  /** When set (HTTP If-Match), the delete happens only at this version: VERSION_CONFLICT otherwise. */
  readonly expectedVersion?: number | undefined;
}

export async function deleteCustomer(request: DeleteRequest, deps: OperationDeps): Promise<string> {
  const now = deps.now();
  await deps.store.write((unit) => {
    checkDelete(request.id, request.expectedVersion, unit.customers.versionOf(request.id));
    unit.customers.delete(request.id, now);
  }, 'single');
  return request.id;
}
