// Request readers and response writers of each operation's wrapper elements
// (document/literal wrapped: CreateCustomer -> CreateCustomerResponse, ...).
import type { Customer, CustomerInput } from '../domain/customer.js';
import type { CustomerKey } from '../domain/customer.js';
import { el, type XmlParent } from '../xml/build.js';
import { childElements, childText, type XmlElement } from '../xml/dom.js';
import { readCustomer, writeCustomer } from './customer-xml.js';

/** <Op><customer>...</customer></Op> */
export function readCustomerRequest(wrapper: XmlElement): CustomerInput {
  const customer = childElements(wrapper)[0];
  // The schema guarantees exactly one child; this only narrows the type.
  if (customer === undefined) throw new TypeError('wrapper without customer passed validation');
  return readCustomer(customer);
}

/** <OpResponse><customer>...</customer></OpResponse> */
export function writeCustomerResponse(responseName: string) {
  return (parent: XmlParent, customer: Customer): void => {
    writeCustomer(el(parent, responseName), customer);
  };
}

/** GetCustomer's xs:choice of id or externalId. */
export function readCustomerKey(wrapper: XmlElement): CustomerKey {
  const id = childText(wrapper, 'id');
  return id !== undefined ? { id } : { externalId: childText(wrapper, 'externalId') ?? '' };
}

/** <DeleteCustomer><id>...</id></DeleteCustomer> */
export function readDeleteRequest(wrapper: XmlElement): { id: string } {
  return { id: childText(wrapper, 'id') ?? '' };
}

export function writeIdResponse(responseName: string) {
  return (parent: XmlParent, id: string): void => {
    el(el(parent, responseName), 'id', id);
  };
}
