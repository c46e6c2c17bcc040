// What an upsert does with one record, as a pure decision over the record and
// the customers its keys name, and the result it reports. The operations apply
// the decision in the store's unit of work (and the dry run predicts with it);
// the rules live here once for every channel and every store.
import type { RecordResult } from './batch.js';
import type { Address, Contact, Customer, CustomerInput } from './customer.js';
import { DEFAULT_STATUS } from './customer.js';
import {
  DuplicateExternalIdError,
  NotFoundError,
  ValidationFailedError,
  VersionConflictError,
  type BridgeError,
} from '../errors.js';

export type UpsertDecision =
  | { readonly kind: 'create' }
  | { readonly kind: 'update'; readonly target: Customer }
  | { readonly kind: 'unchanged'; readonly target: Customer }
  | { readonly kind: 'fail'; readonly error: BridgeError };

/**
 * externalId is the match key; id is used when there is no externalId (an
 * exported customer that never had one). A record's version, when sent, is an
 * optimistic-concurrency check for a change; equal data is UNCHANGED whatever it says.
 */
export function decideUpsert(
  record: CustomerInput,
  byExternalId: Customer | undefined,
  byId: Customer | undefined,
): UpsertDecision {
  if (record.externalId === undefined && record.id === undefined) {
    return { kind: 'fail', error: new ValidationFailedError('A batch record needs an externalId (or the id of an existing customer)') };
  }
  if (record.id !== undefined && byId !== undefined && byExternalId !== undefined && byId.id !== byExternalId.id) {
    return {
      kind: 'fail',
      error: new DuplicateExternalIdError(`externalId '${record.externalId ?? ''}' belongs to customer '${byExternalId.id}', not to '${record.id}'`),
    };
  }
  const target = record.externalId !== undefined ? byExternalId : byId;
  if (target === undefined) {
    if (record.externalId === undefined) return { kind: 'fail', error: new NotFoundError(`No customer with id '${record.id ?? ''}'`) };
    if (byId !== undefined) {
      return {
        kind: 'fail',
        error: new ValidationFailedError(`Customer '${byId.id}' has externalId '${byId.externalId ?? ''}', not '${record.externalId}'; change an externalId with UpdateCustomer`),
      };
    }
    return { kind: 'create' };
  }
  if (sameData(record, target)) return { kind: 'unchanged', target };
  if (record.version !== undefined && record.version !== target.version) {
    return {
      kind: 'fail',
      error: new VersionConflictError(`Customer '${target.id}' is at version ${target.version}, the record was based on version ${record.version}`),
    };
  }
  return { kind: 'update', target };
}

/**
 * The result a record reports for its decision. `createdId`: the id of the
 * customer a create stored (none in a dry run, which stores nothing).
 */
export function upsertResult(index: number, externalId: string | undefined, decision: UpsertDecision, createdId?: string): RecordResult {
  switch (decision.kind) {
    case 'fail':
      return { index, externalId, status: 'FAILED', error: { code: decision.error.code, message: decision.error.message } };
    case 'unchanged':
      return { index, externalId, id: decision.target.id, status: 'UNCHANGED' };
    case 'update':
      return { index, externalId, id: decision.target.id, status: 'UPDATED' };
    case 'create':
      return { index, externalId, id: createdId, status: 'CREATED' };
  }
}

/** True when storing `record` over `stored` would change nothing a client can read. */
export function sameData(record: CustomerInput, stored: Customer): boolean {
  return (
    record.externalId === stored.externalId &&
    record.type === stored.type &&
    record.name === stored.name &&
    record.email === stored.email &&
    record.phone === stored.phone &&
    (record.status ?? DEFAULT_STATUS) === stored.status &&
    record.vatNumber === stored.vatNumber &&
    sameList(record.addresses, stored.addresses, sameAddress) &&
    sameList(record.contacts, stored.contacts, sameContact)
  );
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined, same: (x: T, y: T) => boolean): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => same(x, b[i] as T));
}

function sameAddress(a: Address, b: Address): boolean {
  return a.type === b.type && a.line1 === b.line1 && a.line2 === b.line2 && a.city === b.city &&
    a.region === b.region && a.postalCode === b.postalCode && a.country === b.country;
}

function sameContact(a: Contact, b: Contact): boolean {
  return a.firstName === b.firstName && a.lastName === b.lastName && a.email === b.email &&
    a.phone === b.phone && a.role === b.role;
}
