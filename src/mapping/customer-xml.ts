// Customer <-> XML in the contract's element order. readCustomer trusts the
// schema (already validated) and only converts; writeCustomer emits exactly
// what was stored, so every field round-trips as the client sent it.
import type {
  Address,
  AddressType,
  Contact,
  Customer,
  CustomerInput,
  CustomerKind,
  CustomerStatus,
} from '../domain/customer.js';
import { el, optEl, type XmlNode, type XmlParent } from '../xml/build.js';
import { attrValue, childElements, type XmlElement } from '../xml/dom.js';

export function readCustomer(node: XmlElement): CustomerInput {
  const c: CustomerInput = { type: 'PERSON', name: '' };
  for (const child of childElements(node)) {
    const text = child.content;
    switch (child.name) {
      case 'id': c.id = text; break;
      case 'externalId': c.externalId = text; break;
      case 'type': c.type = text as CustomerKind; break;
      case 'name': c.name = text; break;
      case 'email': c.email = text; break;
      case 'phone': c.phone = text; break;
      case 'status': c.status = text as CustomerStatus; break;
      case 'vatNumber': c.vatNumber = text; break;
      case 'addresses': c.addresses = childElements(child).map(readAddress); break;
      case 'contacts': c.contacts = childElements(child).map(readContact); break;
      case 'version': c.version = Number(text); break;
      // createdAt / updatedAt are assigned by the service; a client's copy is ignored.
      default: break;
    }
  }
  return c;
}

function readAddress(node: XmlElement): Address {
  const a: Address = { type: attrValue(node, 'type') as AddressType, line1: '', city: '', country: '' };
  for (const child of childElements(node)) {
    const text = child.content;
    switch (child.name) {
      case 'line1': a.line1 = text; break;
      case 'line2': a.line2 = text; break;
      case 'city': a.city = text; break;
      case 'region': a.region = text; break;
      case 'postalCode': a.postalCode = text; break;
      case 'country': a.country = text; break;
      default: break;
    }
  }
  return a;
}

function readContact(node: XmlElement): Contact {
  const k: Contact = { lastName: '' };
  for (const child of childElements(node)) {
    const text = child.content;
    switch (child.name) {
      case 'firstName': k.firstName = text; break;
      case 'lastName': k.lastName = text; break;
      case 'email': k.email = text; break;
      case 'phone': k.phone = text; break;
      case 'role': k.role = text; break;
      default: break;
    }
  }
  return k;
}

/** Appends <local> (default `customer`) holding `c` to `parent`. */
export function writeCustomer(parent: XmlParent, c: Customer, local = 'customer'): XmlNode {
  const node = el(parent, local);
  el(node, 'id', c.id);
  optEl(node, 'externalId', c.externalId);
  el(node, 'type', c.type);
  el(node, 'name', c.name);
  optEl(node, 'email', c.email);
  optEl(node, 'phone', c.phone);
  el(node, 'status', c.status);
  optEl(node, 'vatNumber', c.vatNumber);
  if (c.addresses !== undefined) {
    const list = el(node, 'addresses');
    for (const a of c.addresses) {
      const an = el(list, 'address');
      an.att('type', a.type);
      el(an, 'line1', a.line1);
      optEl(an, 'line2', a.line2);
      el(an, 'city', a.city);
      optEl(an, 'region', a.region);
      optEl(an, 'postalCode', a.postalCode);
      el(an, 'country', a.country);
    }
  }
  if (c.contacts !== undefined) {
    const list = el(node, 'contacts');
    for (const k of c.contacts) {
      const kn = el(list, 'contact');
      optEl(kn, 'firstName', k.firstName);
      el(kn, 'lastName', k.lastName);
      optEl(kn, 'email', k.email);
      optEl(kn, 'phone', k.phone);
      optEl(kn, 'role', k.role);
    }
  }
  el(node, 'version', c.version);
  el(node, 'createdAt', c.createdAt);
  el(node, 'updatedAt', c.updatedAt);
  return node;
}
