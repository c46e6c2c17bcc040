// One record of a streamed batch: parsed on its own (libxml2, as every
// message), validated against the record schema compiled once, read into a
// customer. A record that is not well-formed or fails the schema becomes a
// FAILED record whose message gives line, column and rule in the whole document.
import type { BatchRecord } from '../domain/batch.js';
import { MalformedXmlError, type SchemaErrorDetail } from '../errors.js';
import { readCustomer } from '../mapping/customer-xml.js';
import type { PayloadValidator } from '../validation/payload-validator.js';
import { childElements, childText } from '../xml/dom.js';
import { NS } from '../xml/namespaces.js';
import { parseXml } from '../xml/parse-xml.js';
import type { RawRecord } from '../xml/record-scanner.js';
import { atPosition, snippetAt } from './snippet.js';

export interface ReadRecord {
  readonly record: BatchRecord;
  /** What the batch fingerprint takes of this record. */
  readonly fingerprint: unknown;
}

export function readRecord(raw: RawRecord, namespaces: string, validator: PayloadValidator): ReadRecord {
  const snippet = snippetAt(namespaces, raw.text, raw.column);
  let doc;
  try {
    doc = parseXml(snippet);
  } catch (err) {
    if (!(err instanceof MalformedXmlError)) throw err;
    return failed(raw, 'MALFORMED_XML', err.errors, raw.text);
  }
  try {
    const element = childElements(doc.root)[0];
    if (element === undefined || element.name !== 'customer' || element.namespaceUri !== NS.crm) {
      const found = element === undefined ? 'nothing' : `{${element.namespaceUri}}${element.name}`;
      return failed(raw, 'VALIDATION_FAILED', [{ line: 2, column: raw.column, message: `Expected a {${NS.crm}}customer record, found ${found}` }], raw.text);
    }
    const errors = validator.validateRecord(element, snippet);
    if (errors.length > 0) {
      return failed(raw, 'VALIDATION_FAILED', errors, readCustomer(element), childText(element, 'externalId'));
    }
    const input = readCustomer(element);
    return { record: { index: raw.index, input }, fingerprint: input };
  } finally {
    doc.dispose();
  }
}

function failed(
  raw: RawRecord,
  code: 'MALFORMED_XML' | 'VALIDATION_FAILED',
  errors: readonly SchemaErrorDetail[],
  fingerprint: unknown,
  externalId?: string,
): ReadRecord {
  const message = errors
    .map((e) => atPosition(e, raw.line))
    .map((e) => `line ${e.line}, column ${e.column}: ${e.message}`)
    .join('; ');
  return { record: { index: raw.index, externalId, error: { code, message } }, fingerprint };
}
