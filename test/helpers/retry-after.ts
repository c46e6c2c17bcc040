// The Retry-After of an UNAVAILABLE answer for a batchId another process
// holds: until that holder's lease runs out, never longer than a lease.
import { expect } from 'chai';

/** A batch's lease, in seconds (domain/batch.ts LEASE_MS). */
const LEASE_S = 60;

/** Retry-After in whole seconds: at least 1, at most the lease. */
export function retryAfterOf(headers: Headers): number {
  const value = headers.get('retry-after') ?? '';
  expect(value).to.match(/^\d+$/);
  const seconds = Number(value);
  expect(seconds).to.be.within(1, LEASE_S);
  return seconds;
}
