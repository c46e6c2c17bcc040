// The node-soap service object of the baseline: GetCustomer, CreateCustomer
// and SearchCustomers over the BaselineStore, as an integrator maps node-soap's
// parsed arguments to rows and rows to response objects. node-soap writes the
// response elements in the order of the object's keys, so the objects are
// built in the xs:sequence order of customer.xsd. Not implemented (the bench
// does not call them): UpdateCustomer, DeleteCustomer, UpsertCustomers,
// GetChanges, and the SearchCustomers filters other than name.
import type { IServices } from 'soap';
import { DuplicateExternalIdError, type BaselineStore, type NewCustomer, type PlainAddress, type PlainContact, type StoredCustomer } from './baseline-store.js';

const NS = 'urn:crm-bridge:customer:v1';

type Fields = Readonly<Record<string, unknown>>;

/** node-soap's parsed element: an object of child elements, text as strings, `<x/>` as null. */
function fields(value: unknown): Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};
}

function text(obj: Fields, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** A repeated element: node-soap gives an array, or the object itself when it is not sure. */
function list(value: unknown): Fields[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(fields);
}

function readCustomer(value: unknown): NewCustomer {
  const c = fields(value);
  const addresses = list(fields(c['addresses'])['address']).map((a): PlainAddress => ({
    type: text(fields(a['attributes']), 'type') ?? 'OTHER',
    line1: text(a, 'line1') ?? '',
    line2: text(a, 'line2'),
    city: text(a, 'city') ?? '',
    region: text(a, 'region'),
    postalCode: text(a, 'postalCode'),
    country: text(a, 'country') ?? '',
  }));
  const contacts = list(fields(c['contacts'])['contact']).map((k): PlainContact => ({
    firstName: text(k, 'firstName'),
    lastName: text(k, 'lastName') ?? '',
    email: text(k, 'email'),
    phone: text(k, 'phone'),
    role: text(k, 'role'),
  }));
  return {
    externalId: text(c, 'externalId'),
    type: text(c, 'type') ?? '',
    name: text(c, 'name') ?? '',
    email: text(c, 'email'),
    phone: text(c, 'phone'),
    status: text(c, 'status'),
    vatNumber: text(c, 'vatNumber'),
    addresses,
    contacts,
  };
}

/** Drops undefined values, so node-soap writes no element for them. */
function defined(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function writeCustomer(c: StoredCustomer): Record<string, unknown> {
  return defined({
    id: c.id,
    externalId: c.externalId,
    type: c.type,
    name: c.name,
    email: c.email,
    phone: c.phone,
    status: c.status,
    vatNumber: c.vatNumber,
    addresses: c.addresses.length === 0 ? undefined : {
      address: c.addresses.map((a) => defined({
        attributes: { type: a.type }, line1: a.line1, line2: a.line2, city: a.city, region: a.region, postalCode: a.postalCode, country: a.country,
      })),
    },
    contacts: c.contacts.length === 0 ? undefined : {
      contact: c.contacts.map((k) => defined({ firstName: k.firstName, lastName: k.lastName, email: k.email, phone: k.phone, role: k.role })),
    },
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  });
}

/** A SOAP 1.1 client fault with the contract's ServiceFault detail, as node-soap expects it thrown. */
function clientFault(code: string, message: string): { Fault: Record<string, unknown> } {
  return {
    Fault: {
      faultcode: 'soap:Client',
      faultstring: message,
      detail: { ServiceFault: { attributes: { xmlns: NS }, code, message } },
      statusCode: 500,
    },
  };
}

export function customerService(store: BaselineStore): IServices {
  const operations = {
    GetCustomer(args: unknown): Record<string, unknown> {
      const a = fields(args);
      const id = text(a, 'id');
      const externalId = text(a, 'externalId');
      const found = id !== undefined ? store.get(id) : externalId !== undefined ? store.getByExternalId(externalId) : undefined;
      if (found === undefined) throw clientFault('NOT_FOUND', `no customer with ${id !== undefined ? `id ${id}` : `externalId ${externalId ?? ''}`}`);
      return { customer: writeCustomer(found) };
    },
    CreateCustomer(args: unknown): Record<string, unknown> {
      try {
        return { customer: writeCustomer(store.create(readCustomer(fields(args)['customer']))) };
      } catch (err) {
        if (err instanceof DuplicateExternalIdError) throw clientFault('DUPLICATE_EXTERNAL_ID', err.message);
        throw err;
      }
    },
    SearchCustomers(args: unknown): Record<string, unknown> {
      const a = fields(args);
      // node-soap hands xs:int restrictions over as strings.
      const offset = Number(text(a, 'offset') ?? 0);
      const limit = Number(text(a, 'limit') ?? 50);
      const page = store.search(text(a, 'name'), offset, limit);
      return { total: page.total, offset, customer: page.customers.map(writeCustomer) };
    },
  };
  // Both ports of the WSDL serve the same operations.
  return { CustomerService: { CustomerServiceSoap: operations, CustomerServiceSoap12: operations } };
}
