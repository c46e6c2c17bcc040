// The WS-Security 1.0 UsernameToken header a SOAP 1.1 client sends (OASIS
// Username Token Profile 1.0): PasswordText, or PasswordDigest with a fresh
// Nonce and Created each call. Written here, not taken from the service
// (src/auth, test/helpers): the bench must not share the code it measures, or
// a bug there would verify itself.
import { createHash, randomBytes } from 'node:crypto';

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';
const BASE64_BINARY = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';

export interface UsernameTokenOptions {
  readonly user: string;
  readonly password: string;
  readonly type: 'text' | 'digest';
  /** Digest only: the nonce's bytes (default 16 random bytes, new each call). */
  readonly nonce?: Buffer;
  /** Digest only: Created, as sent (default: now, to the millisecond, UTC). */
  readonly created?: string;
}

/** Base64(SHA-1(nonce bytes + Created + password)), the profile's section 3.1. */
export function passwordDigest(nonce: Buffer, created: string, password: string): string {
  return createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created + password, 'utf8')])).digest('base64');
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** A `wsse:Security` header block (mustUnderstand="1", as WSDL-generated clients mark it) with one UsernameToken. */
export function usernameTokenHeader(options: UsernameTokenOptions): string {
  let password: string;
  if (options.type === 'digest') {
    const nonce = options.nonce ?? randomBytes(16);
    const created = options.created ?? new Date().toISOString();
    password = `<wsse:Password Type="${PROFILE}#PasswordDigest">${passwordDigest(nonce, created, options.password)}</wsse:Password>` +
      `<wsse:Nonce EncodingType="${BASE64_BINARY}">${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${escapeXml(created)}</wsu:Created>`;
  } else {
    password = `<wsse:Password Type="${PROFILE}#PasswordText">${escapeXml(options.password)}</wsse:Password>`;
  }
  return `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}" xmlns:soap="${SOAP11}" soap:mustUnderstand="1">` +
    `<wsse:UsernameToken><wsse:Username>${escapeXml(options.user)}</wsse:Username>${password}</wsse:UsernameToken></wsse:Security>`;
}

/** `Authorization: Basic` (RFC 7617, UTF-8). */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}
