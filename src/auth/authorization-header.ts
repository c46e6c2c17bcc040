// Reads an HTTP Authorization header: Basic (RFC 7617: Base64 of
// "user-id:password", UTF-8) or Bearer (RFC 6750: a b64token). The scheme is
// case-insensitive (RFC 9110 11.1). Only reads: auth/password-checker.ts and
// auth/jwt-verifier.ts verify. A header that is there but cannot be read
// (another scheme, bad Base64, no colon) is UNAUTHORIZED, the same refusal as
// wrong credentials.
import type { BasicCredentials, BearerCredentials } from '../domain/credentials.js';
import { UnauthorizedError } from '../errors.js';

/** The credentials of `header`, or undefined when there is no header. */
export function readAuthorization(header: string | undefined): BasicCredentials | BearerCredentials | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const m = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?:\s+(\S.*?))?\s*$/.exec(header);
  const scheme = m?.[1]?.toLowerCase();
  const value = m?.[2];
  if (scheme === 'basic' && value !== undefined) return basic(value);
  if (scheme === 'bearer' && value !== undefined && /^[A-Za-z0-9\-._~+/]+=*$/.test(value)) return { kind: 'bearer', token: value };
  throw new UnauthorizedError(`an Authorization header that is neither Basic nor Bearer credentials (scheme ${scheme ?? '?'})`);
}

function basic(value: string): BasicCredentials {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/.test(value)) {
    throw new UnauthorizedError('Basic credentials that are not Base64');
  }
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.from(value, 'base64'));
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new UnauthorizedError('Basic credentials without a colon');
  return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
