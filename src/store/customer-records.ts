// The customers the store keeps, with their addresses and contacts, the
// change log every write of them adds to (delta sync) and their history (who
// made each change, in which request): statements only, run
// inside a unit of work (store.ts). Which to run, and whether a write is
// allowed (versions, upsert decisions), is decided by the operations.
import type { ChangesPage } from '../domain/changes.js';
import type { Customer } from '../domain/customer.js';
import type { Attribution, HistoryEntry, HistoryOperation } from '../domain/history.js';
import type { SearchPage, SearchQuery } from '../domain/search.js';

export type ChangeKind = 'CREATED' | 'UPDATED' | 'DELETED';

export interface CustomerReads {
  byId(id: string): Customer | undefined;
  byExternalId(externalId: string): Customer | undefined;
  /** The stored customers these externalIds name, in no order (a batch chunk's read). */
  byExternalIds(externalIds: readonly string[]): Customer[];
  /** The stored version of customer `id`, without reading the customer. */
  versionOf(id: string): number | undefined;
  /** One page of the customers matching every filter, ordered by id, with the total count. */
  search(query: SearchQuery): SearchPage;
  /** Up to `limit` customers with an id after `afterId` ('' = from the start), ordered by id: export pages. */
  list(afterId: string, limit: number, updatedSince?: string): Customer[];
  /** Changes with a stamp after `sinceStamp` (microseconds; 0 = from the beginning), at most `limit`. */
  changes(sinceStamp: number, limit: number): ChangesPage;
  /** Every change of customer `id`, deleted or not, oldest first; empty when it never existed. */
  history(id: string): HistoryEntry[];
}

/**
 * Writes log their change at a stamp unique and increasing in commit order
 * (domain/changes.ts), taken from the customer's updatedAt (or `now`), and
 * add its history line, made `by` whom, as `operation`, with the same stamp.
 */
export interface CustomerRecords extends CustomerReads {
  /** Stores a new customer; DuplicateExternalIdError when its externalId is taken. */
  insert(customer: Customer, by: Attribution, operation: Extract<HistoryOperation, 'CREATE' | 'UPSERT'>): void;
  /** Overwrites the stored customer `customer.id` whole; DuplicateExternalIdError when its externalId is another's. */
  replace(customer: Customer, by: Attribution, operation: Extract<HistoryOperation, 'UPDATE' | 'UPSERT'>): void;
  /** Deletes the customer with its addresses and contacts (its history stays); false when there was none. */
  delete(id: string, now: string, by: Attribution): boolean;
  /**
   * New customers written together, as the store writes many best (a batch
   * chunk's creates), each made `by` whom as `operation`. What is added is
   * written by `flush` at the latest: flush before any statement that must
   * see it or come after it in the change log. A failure surfaces at the
   * write, not at `add`.
   */
  creates(by: Attribution, operation: Extract<HistoryOperation, 'CREATE' | 'UPSERT'>): PendingCreates;
}

export interface PendingCreates {
  add(customer: Customer): void;
  flush(): void;
}
