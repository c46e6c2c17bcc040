// Reads the WS-Security 1.0 UsernameToken out of a SOAP message's header
// blocks: wsse:Security (addressed to us: no actor/role, or next, or the
// ultimate receiver) > wsse:UsernameToken > wsse:Username, wsse:Password
// (Type PasswordText, the default, or PasswordDigest), wsse:Nonce
// (EncodingType Base64Binary, the default), wsu:Created. Only reads: whether
// the token is right is auth/username-token.ts's to say. A Security header
// this service cannot read (two of them, two tokens, an unknown password
// Type or nonce encoding, no Username or Password) is refused as UNAUTHORIZED,
// since a caller who sent it meant to authenticate.
import type { UsernameToken } from '../domain/credentials.js';
import { UnauthorizedError } from '../errors.js';
import { attrValue, attrValueNs, childElements, type XmlElement } from '../xml/dom.js';
import { OUR_ROLES } from './read-envelope.js';
import type { SoapVersion } from './soap-version.js';

export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';
export const PASSWORD_TEXT = `${PROFILE}#PasswordText`;
export const PASSWORD_DIGEST = `${PROFILE}#PasswordDigest`;
export const BASE64_BINARY = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

/** The header block that carries the token: readEnvelope must count it understood (mustUnderstand="1" is allowed on it). */
export const SECURITY_HEADER = { ns: WSSE_NS, local: 'Security' } as const;

/** The UsernameToken of the Security header addressed to us, or undefined when the message carries none. */
export function readUsernameToken(headers: readonly XmlElement[], version: SoapVersion): UsernameToken | undefined {
  const securities = headers.filter((h) => h.namespaceUri === WSSE_NS && h.name === 'Security' && addressedToUs(h, version));
  if (securities.length > 1) throw refused('more than one wsse:Security header for this receiver');
  const security = securities[0];
  if (security === undefined) return undefined;
  const tokens = children(security, WSSE_NS, 'UsernameToken');
  if (tokens.length > 1) throw refused('more than one wsse:UsernameToken');
  const token = tokens[0];
  if (token === undefined) return undefined;
  const username = only(token, WSSE_NS, 'Username');
  const password = only(token, WSSE_NS, 'Password');
  if (username === undefined || password === undefined) throw refused('a UsernameToken without Username or Password');
  const type = attrValue(password, 'Type');
  const passwordType = type === undefined || type === PASSWORD_TEXT ? 'text' : type === PASSWORD_DIGEST ? 'digest' : undefined;
  if (passwordType === undefined) throw refused(`an unknown password Type ${type ?? ''}`);
  const nonce = only(token, WSSE_NS, 'Nonce');
  const encoding = nonce === undefined ? undefined : attrValue(nonce, 'EncodingType');
  if (encoding !== undefined && encoding !== BASE64_BINARY) throw refused(`a Nonce EncodingType ${encoding}`);
  const created = only(token, WSU_NS, 'Created');
  return {
    kind: 'username-token',
    username: username.content.trim(),
    password: password.content,
    passwordType,
    nonce: nonce?.content.trim(),
    // As sent: the digest covers these very characters.
    created: created?.content,
  };
}

function addressedToUs(header: XmlElement, version: SoapVersion): boolean {
  const role = attrValueNs(header, version.envelopeNs, version.name === '1.1' ? 'actor' : 'role');
  return role === undefined || role === '' || OUR_ROLES.has(role);
}

function children(el: XmlElement, ns: string, local: string): XmlElement[] {
  return childElements(el).filter((c) => c.namespaceUri === ns && c.name === local);
}

/** The one child {ns}local; undefined when there is none; refused when there are several. */
function only(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  const found = children(el, ns, local);
  if (found.length > 1) throw refused(`more than one ${local} in the UsernameToken`);
  return found[0];
}

function refused(reason: string): UnauthorizedError {
  return new UnauthorizedError(`a WS-Security header that cannot be read: ${reason}`);
}
