// CreateCustomer: stores a new customer with a service-assigned id, version 1
// and timestamps. No XML, no HTTP.
import { newCustomer, type Customer, type CustomerInput } from '../domain/customer.js';
import { ValidationFailedError } from '../errors.js';
import type { RequestDeps } from './operation-deps.js';

export async function createCustomer(input: CustomerInput, deps: RequestDeps): Promise<Customer> {
  if (input.id !== undefined) {
    // Accepting it silently would let a client believe it chose the id.
    throw new ValidationFailedError('customer/id is assigned by the service: omit it on create');
  }
  const customer = newCustomer(input, deps.newId(), deps.now());
  return deps.store.write((unit) => {
    unit.customers.insert(customer, deps.by, 'CREATE');
    return customer;
  }, 'single');
}
