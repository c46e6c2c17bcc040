// SearchCustomers' query and page, as plain data.
import type { Customer, CustomerStatus } from './customer.js';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

/** Every filter is optional and they combine with AND. */
export interface SearchQuery {
  /** Case-insensitive (Unicode) substring of the name; % and _ are literal characters. */
  readonly name?: string | undefined;
  /** Case-insensitive exact e-mail. */
  readonly email?: string | undefined;
  readonly status?: CustomerStatus | undefined;
  /** Customers with at least one address in this country. */
  readonly country?: string | undefined;
  readonly externalId?: string | undefined;
  /** ISO timestamp in UTC: customers whose updatedAt is at or after it. */
  readonly updatedSince?: string | undefined;
  readonly offset: number;
  readonly limit: number;
}

export interface SearchPage {
  readonly total: number;
  readonly offset: number;
  readonly customers: readonly Customer[];
}
