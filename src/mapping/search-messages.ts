// SearchCustomers request -> SearchQuery, SearchPage -> SearchCustomersResponse.
import type { CustomerStatus } from '../domain/customer.js';
import { stampOf } from '../domain/changes.js';
import { DEFAULT_PAGE_LIMIT, type SearchPage, type SearchQuery } from '../domain/search.js';
import { el, type XmlParent } from '../xml/build.js';
import { childText, type XmlElement } from '../xml/dom.js';
import { writeCustomer } from './customer-xml.js';

export function readSearchRequest(wrapper: XmlElement): SearchQuery {
  const text = (local: string): string | undefined => childText(wrapper, local);
  const offset = text('offset');
  const limit = text('limit');
  const updatedSince = text('updatedSince');
  return {
    name: text('name'),
    email: text('email'),
    status: text('status') as CustomerStatus | undefined,
    country: text('country'),
    externalId: text('externalId'),
    updatedSince: updatedSince === undefined ? undefined : updatedSinceBound(updatedSince),
    offset: offset === undefined ? 0 : Number(offset),
    limit: limit === undefined ? DEFAULT_PAGE_LIMIT : Number(limit),
  };
}

/**
 * updatedAt is kept to the millisecond as an ISO string; "updatedAt >= since"
 * then holds exactly when updatedAt >= since rounded up to the millisecond.
 */
export function updatedSinceBound(dateTime: string): string {
  return new Date(Math.ceil(stampOf(dateTime) / 1000)).toISOString();
}

export function writeSearchResponse(parent: XmlParent, page: SearchPage): void {
  const response = el(parent, 'SearchCustomersResponse');
  el(response, 'total', page.total);
  el(response, 'offset', page.offset);
  for (const c of page.customers) writeCustomer(response, c);
}
