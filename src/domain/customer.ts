// The Customer as the service stores and returns it. Plain data, no XML, no SQL.
// Optional fields keep the difference between "absent" (undefined) and "sent
// empty" ('') because every field must round-trip exactly as a client sent it.

export type CustomerKind = 'PERSON' | 'ORGANIZATION';
export type CustomerStatus = 'PROSPECT' | 'ACTIVE' | 'INACTIVE';
export type AddressType = 'BILLING' | 'SHIPPING' | 'OTHER';

export interface Address {
  type: AddressType;
  line1: string;
  line2?: string | undefined;
  city: string;
  region?: string | undefined;
  postalCode?: string | undefined;
  country: string;
}

export interface Contact {
  firstName?: string | undefined;
  lastName: string;
  email?: string | undefined;
  phone?: string | undefined;
  role?: string | undefined;
}

/** What a client sends: server-assigned fields may be present (update) or absent (create). */
export interface CustomerInput {
  id?: string | undefined;
  externalId?: string | undefined;
  type: CustomerKind;
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  status?: CustomerStatus | undefined;
  vatNumber?: string | undefined;
  /** undefined: the wrapper element was absent; []: present and empty. */
  addresses?: Address[] | undefined;
  contacts?: Contact[] | undefined;
  version?: number | undefined;
}

/** A stored customer: every server-assigned field is set. */
export interface Customer extends CustomerInput {
  id: string;
  status: CustomerStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_STATUS: CustomerStatus = 'ACTIVE';

/** How a customer is named in a read: by the service's id or the ERP's externalId. */
export type CustomerKey = { readonly id: string } | { readonly externalId: string };

/**
 * The customer stored from `input`, every field named (the mapped type makes
 * leaving one out a compile error). Not a spread: `{ ...input }` of a record
 * as a worker thread's message delivers it (v8.deserialize) took ~9.5 µs, of
 * one parsed from JSON ~7.5 µs, this literal ~0.1-0.2 µs (1000 records, 200
 * rounds).
 */
function storedCustomer(input: CustomerInput, id: string, version: number, createdAt: string, updatedAt: string): Customer {
  const c: { [K in keyof Required<Customer>]: Customer[K] } = {
    id,
    externalId: input.externalId,
    type: input.type,
    name: input.name,
    email: input.email,
    phone: input.phone,
    status: input.status ?? DEFAULT_STATUS,
    vatNumber: input.vatNumber,
    addresses: input.addresses,
    contacts: input.contacts,
    version,
    createdAt,
    updatedAt,
  };
  return c;
}

/** A customer as created from `input` (whose own id and version, if any, are not used): version 1. */
export function newCustomer(input: CustomerInput, id: string, now: string): Customer {
  return storedCustomer(input, id, 1, now, now);
}

/** `stored` replaced by `input`'s data: same id, version + 1, createdAt kept. */
export function replacedCustomer(input: CustomerInput, stored: Pick<Customer, 'id' | 'version' | 'createdAt'>, now: string): Customer {
  return storedCustomer(input, stored.id, stored.version + 1, stored.createdAt, now);
}
