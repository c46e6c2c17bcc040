// What every answer to a mutated request must be, from the contract alone
// (/api's in json-oracle.ts):
// a success, or a fault in the contract's shape with a code of its catalogue
// (never INTERNAL), with the status the contract gives that code on that
// channel; never a stack trace or a path of the service's own files.
import libxml from 'libxmljs2';
import type { Document, Element } from 'libxmljs2';
import { XsdValidator } from '../../src/validation/xsd-validator.js';
import { NS } from '../../src/xml/namespaces.js';
import { parseXml } from '../../src/xml/parse-xml.js';
import type { FuzzRequest } from './fuzz-request.js';
import { judgeJson } from './json-oracle.js';
import type { FuzzAnswer } from './send.js';

/** The contract's fault codes (v1 and v1.1) with their /xml status; INTERNAL is left out on purpose: the fuzzer must never see it. */
const XML_STATUS: Readonly<Record<string, readonly number[]>> = {
  MALFORMED_XML: [400],
  VALIDATION_FAILED: [400],
  // 405 with Allow: a method the path does not take.
  UNKNOWN_OPERATION: [400, 405],
  NOT_FOUND: [404],
  DUPLICATE_EXTERNAL_ID: [409],
  // 412: an If-Match that names another version.
  VERSION_CONFLICT: [409, 412],
  UNAUTHORIZED: [401],
  FORBIDDEN: [403],
  PAYLOAD_TOO_LARGE: [413],
  UNSUPPORTED_MEDIA_TYPE: [415],
  UNAVAILABLE: [503],
};
const SERVER_SIDE = new Set(['UNAVAILABLE']);
const LEAK = /\n\s+at \S|\bat [\w.<>$]+ \(|\.ts:\d|\.js:\d|node_modules|file:\/\/\/(?!etc\/)|\/work\/|\/home\/|\/tmp\//;

const validator = new XsdValidator();
const Q = { s11: NS.soap11, s12: NS.soap12, c: NS.crm };

/** How the answer went: a fault's code, or the success and the operation it answered. */
export interface Verdict {
  /** Problems found; empty when the answer is one the contract allows. */
  readonly problems: string[];
  /** The fault code, or undefined for a success. */
  readonly code: string | undefined;
  /** A success that only read (GetCustomer, SearchCustomers, GetChanges, a GET). */
  readonly read: boolean;
}

export function judge(req: FuzzRequest, answer: FuzzAnswer): Verdict {
  const problems: string[] = [];
  const text = answer.body.toString('utf8');
  const leak = LEAK.exec(text);
  if (leak !== null) problems.push(`the body shows a stack trace or a path (${JSON.stringify(leak[0])})`);
  const verdict = req.channel === 'json' ? judgeJson(req, answer, problems) : req.channel === 'xml' ? judgeXml(req, answer, problems) : judgeSoap(req, answer, problems);
  if (verdict.code === 'INTERNAL') problems.push('INTERNAL');
  return { problems, ...verdict };
}

function judgeSoap(req: FuzzRequest, answer: FuzzAnswer, problems: string[]): { code: string | undefined; read: boolean } {
  const sentType = mediaType(headerOf(req, 'content-type'));
  const answerType = mediaType(answer.headers['content-type']);
  const version = answerType === 'text/xml' ? '1.1' : answerType === 'application/soap+xml' ? '1.2' : undefined;
  if (version === undefined) {
    problems.push(`SOAP answer with Content-Type ${answer.headers['content-type'] ?? '(none)'}`);
    return { code: undefined, read: false };
  }
  const doc = xmlOf(answer.body, problems);
  if (doc === undefined) return { code: undefined, read: false };
  const envNs = version === '1.1' ? NS.soap11 : NS.soap12;
  const root = doc.root();
  if (root?.name() !== 'Envelope' || root.namespace()?.href() !== envNs) problems.push(`answer root is not a SOAP ${version} Envelope`);
  const asked = sentType === 'text/xml' ? '1.1' : sentType === 'application/soap+xml' ? '1.2' : undefined;
  if (asked !== undefined && asked !== version) problems.push(`asked in SOAP ${asked} (Content-Type), answered in SOAP ${version}`);
  const payload = doc.find<Element>('/*/*[local-name()="Body"]/*');
  if (payload.length !== 1) {
    problems.push(`the answer's Body holds ${payload.length} elements`);
    return { code: undefined, read: false };
  }
  const first = payload[0] as Element;
  if (first.name() !== 'Fault') {
    if (answer.status !== 200) problems.push(`a SOAP success with HTTP ${answer.status}`);
    if (first.namespace()?.href() !== NS.crm || !first.name().endsWith('Response')) problems.push(`a SOAP success whose payload is ${first.name()}`);
    if (asked === undefined) problems.push(`served a request whose Content-Type is not SOAP (${sentType})`);
    return { code: undefined, read: /^(GetCustomer|SearchCustomers|GetChanges)Response$/.test(first.name()) };
  }
  const soapCode = (version === '1.1' ? text(doc, '//s11:Fault/faultcode') : text(doc, '//s12:Fault/s12:Code/s12:Value'))?.replace(/^.*:/, '') ?? '';
  const code = text(doc, '//c:ServiceFault/c:code');
  if (code === undefined) {
    problems.push('a SOAP fault without a ServiceFault detail');
    return { code: undefined, read: false };
  }
  if (code === 'INTERNAL') return { code, read: false };
  if (!(code in XML_STATUS)) problems.push(`fault code ${code} is not in the contract`);
  // The SOAP codes the specifications prescribe besides Client/Sender: a wrong envelope (VersionMismatch), a header not understood (MustUnderstand).
  const sender = version === '1.1' ? 'Client' : 'Sender';
  const receiver = version === '1.1' ? 'Server' : 'Receiver';
  const allowed = SERVER_SIDE.has(code) ? [receiver] : code === 'MALFORMED_XML' ? [sender, 'VersionMismatch'] : code === 'VALIDATION_FAILED' ? [sender, 'MustUnderstand'] : [sender];
  if (!allowed.includes(soapCode)) problems.push(`${code} carried as SOAP ${soapCode}, expected ${allowed.join(' or ')}`);
  const status = code === 'PAYLOAD_TOO_LARGE' ? 413 : code === 'UNSUPPORTED_MEDIA_TYPE' ? 415 : version === '1.1' ? 500 : soapCode === 'Sender' ? 400 : 500;
  if (answer.status !== status) problems.push(`${code} in SOAP ${version} answered HTTP ${answer.status}, expected ${status}`);
  if (asked === undefined && code !== 'UNSUPPORTED_MEDIA_TYPE') problems.push(`a Content-Type that is not SOAP (${sentType}) answered ${code}, expected UNSUPPORTED_MEDIA_TYPE`);
  if (code === 'UNAVAILABLE' && answer.headers['retry-after'] === undefined) problems.push('UNAVAILABLE without Retry-After');
  return { code, read: false };
}

function judgeXml(req: FuzzRequest, answer: FuzzAnswer, problems: string[]): { code: string | undefined; read: boolean } {
  const read = req.method === 'GET';
  if (answer.status === 204 || answer.status === 304) {
    if (answer.body.length > 0) problems.push(`HTTP ${answer.status} with a body`);
    return { code: undefined, read };
  }
  const type = mediaType(answer.headers['content-type']);
  if (type !== 'application/xml') problems.push(`answer Content-Type ${answer.headers['content-type'] ?? '(none)'}`);
  const doc = xmlOf(answer.body, problems);
  const root = doc?.root();
  if (answer.status === 200 || answer.status === 201) {
    if (root?.name() === 'ServiceFault') problems.push(`HTTP ${answer.status} with a ServiceFault`);
    return { code: undefined, read };
  }
  if (root?.name() !== 'ServiceFault' || root.namespace()?.href() !== NS.crm) {
    problems.push(`HTTP ${answer.status} without a ServiceFault body`);
    return { code: undefined, read: false };
  }
  const code = text(doc as Document, '/c:ServiceFault/c:code') ?? '';
  if (code === 'INTERNAL') return { code, read: false };
  const statuses = XML_STATUS[code];
  if (statuses === undefined) problems.push(`fault code ${code} is not in the contract`);
  else if (!statuses.includes(answer.status)) problems.push(`${code} answered HTTP ${answer.status}, expected ${statuses.join(' or ')}`);
  if (answer.status === 412 && headerOf(req, 'if-match') === undefined) problems.push('412 without an If-Match');
  if (answer.status === 405 && answer.headers['allow'] === undefined) problems.push('405 without Allow');
  if (code === 'UNAUTHORIZED' && answer.headers['www-authenticate'] === undefined) problems.push('401 without WWW-Authenticate');
  if (code === 'UNAVAILABLE' && answer.headers['retry-after'] === undefined) problems.push('503 without Retry-After');
  return { code, read: false };
}

/** The answer as a document that passes the XSD; undefined (and a problem) when it is not. */
function xmlOf(body: Buffer, problems: string[]): Document | undefined {
  let checked;
  try {
    checked = parseXml(body);
  } catch (err) {
    problems.push(`the answer is not well-formed XML: ${(err as Error).message}`);
    return undefined;
  }
  try {
    // Envelopes and documents alike: the validator knows the SOAP envelopes and the contract's elements.
    const errors = validator.validate(checked.root, body);
    if (errors.length > 0) problems.push(`the answer fails the schema: ${errors[0]?.message ?? ''}`);
  } finally {
    checked.dispose();
  }
  return libxml.parseXml(body.toString('utf8'));
}

function text(doc: Document | Element, xpath: string): string | undefined {
  return doc.get<Element>(xpath, Q)?.text();
}

function mediaType(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] ?? '' : value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function headerOf(req: FuzzRequest, name: string): string | undefined {
  const key = Object.keys(req.headers).find((h) => h.toLowerCase() === name);
  return key === undefined ? undefined : req.headers[key];
}
