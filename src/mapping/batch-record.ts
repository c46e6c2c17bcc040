// One record of a batch as read, whichever way the batch came (SOAP
// UpsertCustomers' customer children, or a streamed CustomerBatch's
// records): what a record that fails the schema, or is not well-formed,
// becomes (a FAILED record whose message lists where and why), and a batch's
// mode when it names none. Written once, so SOAP and files report alike.
import type { BatchMode, BatchRecord, RecordErrorDetail } from '../domain/batch.js';
import type { SchemaErrorDetail } from '../errors.js';
import { clip } from '../xml/clip.js';
import { childText, type XmlElement } from '../xml/dom.js';
import { readCustomer } from './customer-xml.js';

export interface ReadRecord {
  readonly record: BatchRecord;
  /** What the batch fingerprint takes of this record. */
  readonly fingerprint: unknown;
}

/** A batch's mode, as its `mode` element or attribute gives it (the contract's default when absent). */
export function batchMode(value: string | undefined): BatchMode {
  return (value ?? 'PARTIAL') as BatchMode;
}

/**
 * The record `element`, number `index` of its batch, given its schema errors
 * (placed where they are in what the client sent). `schema` has the XSD's
 * word on an externalId: a failed record's is echoed in its result only when
 * it is one the report may carry.
 */
export function readBatchRecord(
  element: XmlElement,
  index: number,
  errors: readonly SchemaErrorDetail[],
  schema: { validExternalId(value: string): boolean },
): ReadRecord {
  if (errors.length > 0) {
    const externalId = childText(element, 'externalId');
    const echoed = externalId !== undefined && schema.validExternalId(externalId) ? externalId : undefined;
    return failedRecord(index, 'VALIDATION_FAILED', errors, readCustomer(element), echoed);
  }
  const input = readCustomer(element);
  return { record: { index, input }, fingerprint: input };
}

/** Errors a FAILED record's message lists, each clipped: a report stays bounded whatever the record. */
const MAX_LISTED = 20;

/** A FAILED record: its message lists `errors` (line, column, what), as many as a report may carry. */
export function failedRecord(
  index: number,
  code: 'MALFORMED_XML' | 'VALIDATION_FAILED',
  errors: readonly SchemaErrorDetail[],
  fingerprint: unknown,
  externalId?: string,
): ReadRecord {
  const listed = errors.slice(0, MAX_LISTED).map((e) => `line ${e.line}, column ${e.column}: ${clip(e.message)}`);
  if (errors.length > MAX_LISTED) listed.push(`and ${errors.length - MAX_LISTED} more`);
  return { record: { index, externalId, error: { code, message: listed.join('; ') } }, fingerprint };
}

/**
 * A FAILED record of a JSON batch: its message lists the errors as the
 * single-customer answer does (each led by its JSON Pointer, relative to the
 * record), and the pointers themselves are kept for the JSON report.
 */
export function failedJsonRecord(
  index: number,
  code: 'MALFORMED_JSON' | 'VALIDATION_FAILED',
  errors: readonly { readonly path?: string | undefined; readonly message: string }[],
  fingerprint: unknown,
  externalId?: string,
): ReadRecord {
  const kept = errors.slice(0, MAX_LISTED);
  const listed = kept.map((e) => clip(e.message));
  if (errors.length > MAX_LISTED) listed.push(`and ${errors.length - MAX_LISTED} more`);
  const details: RecordErrorDetail[] = kept.map((e) => ({ path: e.path ?? '', message: clip(e.message) }));
  return { record: { index, externalId, error: { code, message: listed.join('; '), errors: details } }, fingerprint };
}
