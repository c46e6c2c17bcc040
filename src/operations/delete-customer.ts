// DeleteCustomer: removes a customer with its addresses and contacts.
import type { OperationDeps } from './operation-deps.js';

export async function deleteCustomer(id: string, deps: OperationDeps): Promise<string> {
  await deps.store.deleteCustomer(id, deps.now());
  return id;
}
