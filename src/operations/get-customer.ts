// GetCustomer: one customer by id or by externalId (the request's xs:choice).
import type { Customer, CustomerKey } from '../domain/customer.js';
import { NotFoundError } from '../errors.js';
import type { OperationDeps } from './operation-deps.js';

export async function getCustomer(key: CustomerKey, deps: OperationDeps): Promise<Customer> {
  const found = await deps.store.read((unit) => ('id' in key ? unit.customers.byId(key.id) : unit.customers.byExternalId(key.externalId)));
  if (!found) {
    throw new NotFoundError(
      'id' in key ? `No customer with id '${key.id}'` : `No customer with externalId '${key.externalId}'`,
    );
  }
  return found;
}
