// The store boundary: one method per unit of work, each its own transaction,
// asynchronous so that a networked implementation (PostgreSQL, for several
// instances on one store) can sit beside the SQLite one. Methods raise the
// contract's typed errors (NotFoundError, VersionConflictError, ...).
import type { Customer, CustomerInput } from '../domain/customer.js';

export type ChangeKind = 'CREATED' | 'UPDATED' | 'DELETED';

export interface CustomerStore {
  /** Stores a new customer with the given id and timestamp; DUPLICATE_EXTERNAL_ID when taken. */
  createCustomer(input: CustomerInput, id: string, now: string): Promise<Customer>;
  getCustomerById(id: string): Promise<Customer | undefined>;
  getCustomerByExternalId(externalId: string): Promise<Customer | undefined>;
  /**
   * Replaces the customer `input.id` if its stored version is `input.version`:
   * NOT_FOUND, VERSION_CONFLICT or DUPLICATE_EXTERNAL_ID otherwise.
   */
  updateCustomer(input: CustomerInput & { id: string; version: number }, now: string): Promise<Customer>;
  /** Deletes the customer with its addresses and contacts; NOT_FOUND when there is none. */
  deleteCustomer(id: string, now: string): Promise<void>;
  close(): Promise<void>;
}
