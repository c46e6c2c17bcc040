// The store boundary: one method per unit of work, each its own transaction,
// asynchronous so that a networked implementation (PostgreSQL, for several
// instances on one store) can sit beside the SQLite one. Methods raise the
// contract's typed errors (NotFoundError, VersionConflictError, ...).
import type { BatchReport, BatchRequest } from '../domain/batch.js';
import type { ChangesPage } from '../domain/changes.js';
import type { Customer, CustomerInput } from '../domain/customer.js';
import type { SearchPage, SearchQuery } from '../domain/search.js';

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
  /**
   * Deletes the customer with its addresses and contacts; NOT_FOUND when there
   * is none, VERSION_CONFLICT when `expectedVersion` is given and not current.
   */
  deleteCustomer(id: string, now: string, expectedVersion?: number): Promise<void>;
  /** One page of the customers matching every filter, ordered by id, with the total count. */
  searchCustomers(query: SearchQuery): Promise<SearchPage>;
  /** Changes with a stamp after `sinceStamp` (microseconds; 0 = from the beginning), at most `limit`. */
  getChanges(sinceStamp: number, limit: number): Promise<ChangesPage>;
  /**
   * Applies a batch in input order (each record sees the ones before it) in one
   * transaction. PARTIAL stores every record that succeeds; ATOMIC stores all or
   * nothing. With a batchId, the first report is kept and returned again for the
   * same body; another body under that batchId is VALIDATION_FAILED.
   */
  applyBatch(batch: BatchRequest, now: string, newId: () => string): Promise<BatchReport>;
  /** Throws when the database cannot be read (for /health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
