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
