// GetChanges request -> cursor and limit, ChangesPage -> GetChangesResponse.
import { dateTimeOfStamp, DEFAULT_CHANGES_LIMIT, stampOf, type ChangesPage } from '../domain/changes.js';
import { el, type XmlParent } from '../xml/build.js';
import { childText, type XmlElement } from '../xml/dom.js';
import { writeCustomer } from './customer-xml.js';

export interface ChangesRequest {
  /** 0 = from the beginning (an empty `since`). */
  readonly sinceStamp: number;
  readonly limit: number;
}

export function readChangesRequest(wrapper: XmlElement): ChangesRequest {
  const since = (childText(wrapper, 'since') ?? '').trim();
  const limit = childText(wrapper, 'limit');
  return {
    sinceStamp: since === '' ? 0 : stampOf(since),
    limit: limit === undefined ? DEFAULT_CHANGES_LIMIT : Number(limit),
  };
}

export function writeChangesResponse(parent: XmlParent, page: ChangesPage): void {
  const response = el(parent, 'GetChangesResponse');
  for (const c of page.customers) writeCustomer(response, c);
  for (const id of page.deletedIds) el(response, 'deletedId', id);
  el(response, 'nextSince', dateTimeOfStamp(page.nextStamp));
}
