// The XML-over-HTTP documents: a Customer as the root of a body, CustomerList
// for searches. Same element content as the SOAP messages, other wrappers.
import type { Customer, CustomerInput } from '../domain/customer.js';
import type { SearchPage } from '../domain/search.js';
import { el, type XmlParent } from '../xml/build.js';
import type { XmlElement } from '../xml/dom.js';
import { readCustomer, writeCustomer } from './customer-xml.js';

export function readCustomerDocument(root: XmlElement, _context?: unknown): CustomerInput {
  return readCustomer(root);
}

export function writeCustomerDocument(parent: XmlParent, customer: Customer): void {
  writeCustomer(parent, customer, 'Customer');
}

export function writeCustomerList(parent: XmlParent, page: SearchPage): void {
  const list = el(parent, 'CustomerList');
  list.att('total', String(page.total));
  list.att('offset', String(page.offset));
  for (const c of page.customers) writeCustomer(list, c);
}
