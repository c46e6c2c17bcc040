// GetCustomerHistory (GET /xml/customers/{id}/history): every stored change
// of a customer, oldest first, also once it is deleted. NOT_FOUND only for an
// id that never named a customer.
import type { HistoryEntry } from '../domain/history.js';
import { NotFoundError } from '../errors.js';
import type { OperationDeps } from './operation-deps.js';

export async function getCustomerHistory(request: { readonly id: string }, deps: OperationDeps): Promise<HistoryEntry[]> {
  const history = await deps.store.read((unit) => unit.customers.history(request.id));
  if (history.length === 0) throw new NotFoundError(`No customer with id '${request.id}' was ever stored`);
  return history;
}
