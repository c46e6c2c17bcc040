// Optimistic concurrency for the single-record writes: a change names the
// version it was based on, and only the current version may be changed. Pure:
// the operation reads the stored version in its unit of work and asks here,
// and each check throws the contract's error or lets the write go on. (A
// taken externalId is the store's to find: its unique index sees every
// writer, including those of other processes.)
import { NotFoundError, VersionConflictError } from '../errors.js';

/** UpdateCustomer may replace customer `id` only when it is stored at `sentVersion`: NOT_FOUND or VERSION_CONFLICT otherwise. */
export function checkUpdate<T extends { readonly version: number }>(id: string, sentVersion: number, stored: T | undefined): asserts stored is T {
  if (stored === undefined) throw new NotFoundError(`No customer with id '${id}'`);
  if (stored.version !== sentVersion) {
    throw new VersionConflictError(
      `Customer '${id}' is at version ${stored.version}, the update was based on version ${sentVersion}; read it again and retry`,
    );
  }
}

/**
 * DeleteCustomer may delete customer `id` when it is stored, and at
 * `expectedVersion` when one is given (HTTP If-Match): NOT_FOUND or
 * VERSION_CONFLICT otherwise.
 */
export function checkDelete(id: string, expectedVersion: number | undefined, storedVersion: number | undefined): void {
  if (storedVersion === undefined) throw new NotFoundError(`No customer with id '${id}'`);
  if (expectedVersion !== undefined && storedVersion !== expectedVersion) {
    throw new VersionConflictError(`Customer '${id}' is at version ${storedVersion}, not ${expectedVersion}`);
  }
}
