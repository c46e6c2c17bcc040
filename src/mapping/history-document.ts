// The CustomerHistory document (GET /xml/customers/{id}/history, contract
// v1.1): one `change` per stored change, oldest first, in the XSD's element
// order. An actor is absent when the change was anonymous (auth off), a
// requestId only on changes stored before the history was kept.
import type { HistoryEntry } from '../domain/history.js';
import { el, optEl, type XmlParent } from '../xml/build.js';
import { childText, type XmlElement } from '../xml/dom.js';

/** The path's id, sent as a GetCustomer document (dispatch/resource-table.ts, PATH_ID_DOCUMENT) of which it is the only child. */
export function readHistoryRequest(wrapper: XmlElement): { id: string } {
  return { id: childText(wrapper, 'id') ?? '' };
}

export function writeCustomerHistory(parent: XmlParent, history: readonly HistoryEntry[]): void {
  const root = el(parent, 'CustomerHistory');
  for (const h of history) {
    const change = el(root, 'change');
    el(change, 'version', h.version);
    el(change, 'at', h.at);
    el(change, 'operation', h.operation);
    optEl(change, 'actor', h.actor);
    optEl(change, 'requestId', h.requestId);
  }
}
