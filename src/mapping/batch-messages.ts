// UpsertCustomers (and CustomerBatch) -> BatchRequest; BatchReport -> XML.
// Each record is validated on its own: a record that fails the schema becomes
// a FAILED result naming line, column and rule, and the others go on.
import type { BatchMode, BatchRecord, BatchReport, BatchRequest, BatchSummary, RecordResult } from '../domain/batch.js';
import { BatchFingerprint } from '../domain/batch-fingerprint.js';
import { el, optEl, type XmlNode, type XmlParent } from '../xml/build.js';
import { attrValue, childElements, childText, type XmlElement } from '../xml/dom.js';
import { readCustomer } from './customer-xml.js';
import type { ReadContext } from './read-context.js';

/** Records of `wrapper` (its `customer` children), validated one at a time. */
export function readBatchRecords(wrapper: XmlElement, context: ReadContext, firstIndex = 1): BatchRecord[] {
  return childElements(wrapper)
    .filter((c) => c.name === 'customer')
    .map((record, i): BatchRecord => {
      const index = firstIndex + i;
      const errors = context.validateRecord(record);
      if (errors.length === 0) return { index, input: readCustomer(record) };
      return {
        index,
        externalId: childText(record, 'externalId'),
        error: {
          code: 'VALIDATION_FAILED',
          message: errors.map((e) => `line ${e.line}, column ${e.column}: ${e.message}`).join('; '),
        },
      };
    });
}

/** The batch's fingerprint: its mode and every record as read (see BatchFingerprint). */
export function fingerprintOf(mode: BatchMode, wrapper: XmlElement): string {
  const fingerprint = new BatchFingerprint(mode);
  for (const c of childElements(wrapper)) if (c.name === 'customer') fingerprint.add(readCustomer(c));
  return fingerprint.digest();
}

export function readUpsertRequest(wrapper: XmlElement, context: ReadContext): BatchRequest {
  const mode = (childText(wrapper, 'mode') ?? 'PARTIAL') as BatchMode;
  return {
    batchId: attrValue(wrapper, 'batchId'),
    mode,
    fingerprint: fingerprintOf(mode, wrapper),
    records: readBatchRecords(wrapper, context),
  };
}

/** The report's content (the BatchReport type) under `node`. */
export function writeReportContent(node: XmlNode, report: BatchReport): void {
  writeReportCounts(node, report);
  for (const r of report.results) writeResult(node, r);
}

export function writeReportCounts(node: XmlNode, summary: BatchSummary): void {
  optEl(node, 'batchId', summary.batchId);
  el(node, 'created', summary.created);
  el(node, 'updated', summary.updated);
  el(node, 'unchanged', summary.unchanged);
  el(node, 'failed', summary.failed);
}

export function writeResult(node: XmlNode, r: RecordResult): void {
  const result = el(node, 'result');
  el(result, 'index', r.index);
  // An unreadable record's externalId is echoed only when it is a valid one.
  if (r.externalId !== undefined && r.externalId.length >= 1 && r.externalId.length <= 64) el(result, 'externalId', r.externalId);
  optEl(result, 'id', r.id);
  el(result, 'status', r.status);
  if (r.error !== undefined) {
    const error = el(result, 'error');
    el(error, 'code', r.error.code);
    el(error, 'message', r.error.message);
  }
}

export function writeUpsertResponse(parent: XmlParent, report: BatchReport): void {
  writeReportContent(el(parent, 'UpsertCustomersResponse'), report);
}
