// UpdateCustomer: replaces a customer's fields, addresses and contacts when the
// client holds the current version (optimistic concurrency); version + 1.
import { replacedCustomer, type Customer, type CustomerInput } from '../domain/customer.js';
import { checkUpdate } from '../domain/version-check.js';
import { ValidationFailedError } from '../errors.js';
import type { RequestDeps } from './operation-deps.js';

export async function updateCustomer(input: CustomerInput, deps: RequestDeps): Promise<Customer> {
  const { id, version } = input;
  // The XSD shares one Customer type between create and update, so the two
  // fields update needs are required here rather than in the schema.
  if (id === undefined || version === undefined) {
    const missing = [id === undefined ? 'id' : '', version === undefined ? 'version' : ''].filter(Boolean);
    throw new ValidationFailedError(`UpdateCustomer needs customer/${missing.join(' and customer/')}`);
  }
  const now = deps.now();
  return deps.store.write((unit) => {
    const stored = unit.customers.byId(id);
    checkUpdate(id, version, stored);
    const customer = replacedCustomer(input, stored, now);
    unit.customers.replace(customer, deps.by, 'UPDATE');
    return customer;
  }, 'single');
}
