// Conditional requests on customers (RFC 9110 13.1): the ETag is the version.
import type { Customer } from '../domain/customer.js';

export function etagOf(customer: Customer): string {
  return `"${customer.version}"`;
}

/**
 * The version an If-Match header asks for: undefined when absent or "*"
 * (any current version), NaN when it names no version we could hold.
 */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  // Several tags cannot all be the one current version; take the first that parses.
  for (const tag of tags) {
    const m = /^"(\d{1,9})"$/.exec(tag);
    if (m) return Number(m[1]);
  }
  return Number.NaN;
}

export function ifNoneMatchHits(header: string | undefined, customer: Customer): boolean {
  if (header === undefined) return false;
  const etag = etagOf(customer);
  return header.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);
}
