// A store's units of work as the tests use them outside an operation: a
// customer created with a chosen id, one read back, a batch begun under a
// chosen key by a chosen holder; who such writes are recorded as made by.
import { leaseFrom, type BatchMode, type RecordResult } from '../../src/domain/batch.js';
import { newCustomer, type Customer, type CustomerInput } from '../../src/domain/customer.js';
import type { Attribution } from '../../src/domain/history.js';
import type { LeaseHolder } from '../../src/domain/lease-holder.js';
import type { Store } from '../../src/store/store.js';

/** The author of the writes tests make outside a request. */
export const TEST_BY: Attribution = { actor: 'test', requestId: 'test-request' };

export function createCustomer(store: Store, input: CustomerInput, id: string, now: string): Promise<Customer> {
  const customer = newCustomer(input, id, now);
  return store.write((unit) => {
    unit.customers.insert(customer, TEST_BY, 'CREATE');
    return customer;
  }, 'single');
}

export function customerById(store: Store, id: string): Promise<Customer | undefined> {
  return store.read((unit) => unit.customers.byId(id));
}

export function customerByExternalId(store: Store, externalId: string): Promise<Customer | undefined> {
  return store.read((unit) => unit.customers.byExternalId(externalId));
}

export function beginBatch(store: Store, key: string, now: string, mode: BatchMode = 'PARTIAL',
  holder: LeaseHolder = { host: 'test-host', pid: 1 }, batchId?: string): Promise<void> {
  return store.write((unit) => unit.batches.insert({ key, batchId, mode, now, leaseUntil: leaseFrom(now), holder }));
}

export function batchResults(store: Store, key: string, afterIndex = 0, limit = 1000): Promise<RecordResult[]> {
  return store.read((unit) => unit.batches.results(key, afterIndex, limit));
}
