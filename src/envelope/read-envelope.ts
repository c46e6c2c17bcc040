// Reads a parsed SOAP message: checks that the envelope is of the version the
// Content-Type announced, applies the mustUnderstand rule, and returns the one
// payload element of the Body. Knows nothing about operations.
import {
  MustUnderstandError,
  SoapVersionMismatchError,
  ValidationFailedError,
} from '../errors.js';
import { attrValueNs, childElements, type XmlDocument, type XmlElement } from '../xml/dom.js';
import { versionByEnvelopeNs, type SoapVersion } from './soap-version.js';

export interface SoapMessage {
  readonly version: SoapVersion;
  readonly headers: readonly XmlElement[];
  readonly payload: XmlElement;
}

// Header blocks addressed to these roles/actors are ours to process (or refuse); read-username-token.ts reads wsse:Security by them too.
export const OUR_ROLES = new Set([
  'http://schemas.xmlsoap.org/soap/actor/next',
  'http://www.w3.org/2003/05/soap-envelope/role/next',
  'http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver',
]);

/** A header block by its qualified name. */
export interface HeaderName {
  readonly ns: string;
  readonly local: string;
}

/**
 * `understood`: the header blocks this request will process, which may then
 * carry mustUnderstand: wsse:Security (SECURITY_HEADER) while authentication
 * is on. While it is off nothing would read the block, so it is refused like
 * any other: a client that requires its Security header to be processed must
 * not be answered as if it had been.
 */
export function readEnvelope(doc: XmlDocument, version: SoapVersion, understood: readonly HeaderName[] = []): SoapMessage {
  const root = doc.root;
  const rootNs = root.namespaceUri;
  if (root.name !== 'Envelope' || versionByEnvelopeNs(rootNs) === undefined) {
    throw new SoapVersionMismatchError(
      `Expected a SOAP ${version.name} Envelope in namespace ${version.envelopeNs}, got {${rootNs}}${root.name}`,
    );
  }
  if (rootNs !== version.envelopeNs) {
    const sent = versionByEnvelopeNs(rootNs);
    throw new SoapVersionMismatchError(
      `The Content-Type announces SOAP ${version.name} (${version.mediaType}) but the envelope is SOAP ${sent?.name ?? '?'}; send SOAP ${sent?.name ?? '?'} as ${sent?.mediaType ?? '?'}`,
    );
  }
  const parts = childElements(root).filter((c) => c.namespaceUri === version.envelopeNs);
  const header = parts.find((c) => c.name === 'Header');
  const body = parts.find((c) => c.name === 'Body');
  if (body === undefined) throw new ValidationFailedError('The SOAP Envelope has no Body');
  const headers = header === undefined ? [] : childElements(header);
  refuseMustUnderstand(headers, version, understood);
  const payload = childElements(body);
  const first = payload[0];
  if (first === undefined || payload.length > 1) {
    throw new ValidationFailedError(
      `The SOAP Body must hold exactly one operation element (document/literal wrapped), found ${payload.length}`,
    );
  }
  return { version, headers, payload: first };
}

/** Any header block addressed to us that must be understood and is not in `understood` is refused. */
function refuseMustUnderstand(headers: readonly XmlElement[], version: SoapVersion, understood: readonly HeaderName[]): void {
  const ns = version.envelopeNs;
  const refused = headers.filter((h) => {
    if (understood.some((u) => u.ns === h.namespaceUri && u.local === h.name)) return false;
    const mu = attrValueNs(h, ns, 'mustUnderstand');
    if (mu !== '1' && mu !== 'true') return false;
    const role = attrValueNs(h, ns, version.name === '1.1' ? 'actor' : 'role');
    return role === undefined || role === '' || OUR_ROLES.has(role);
  });
  if (refused.length > 0) {
    throw new MustUnderstandError(refused.map((h) => ({ ns: h.namespaceUri, local: h.name })));
  }
}
