// DeleteCustomer: removes a customer with its addresses and contacts; its
// history stays.
import { checkDelete } from '../domain/version-check.js';
import type { RequestDeps } from './operation-deps.js';

export interface DeleteRequest {
  readonly id: string;
  /** When set (HTTP If-Match), the delete happens only at this version: VERSION_CONFLICT otherwise. */
  readonly expectedVersion?: number | undefined;
}

export async function deleteCustomer(request: DeleteRequest, deps: RequestDeps): Promise<string> {
  const now = deps.now();
  await deps.store.write((unit) => {
    checkDelete(request.id, request.expectedVersion, unit.customers.versionOf(request.id));
    unit.customers.delete(request.id, now, deps.by);
  }, 'single');
  return request.id;
}
