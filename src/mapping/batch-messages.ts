// UpsertCustomers -> BatchRequest (its records read as a streamed batch's
// are: batch-record.ts); BatchReport -> XML, for SOAP and streamed reports.
import type { BatchReport, BatchRequest, BatchSummary, RecordResult } from '../domain/batch.js';
import { BatchFingerprint } from '../domain/batch-fingerprint.js';
import { el, optEl, type XmlNode, type XmlParent } from '../xml/build.js';
import { attrValue, childElements, childText, type XmlElement } from '../xml/dom.js';
import { batchMode, readBatchRecord } from './batch-record.js';
import type { ReadContext } from './read-context.js';

export function readUpsertRequest(wrapper: XmlElement, context: ReadContext): BatchRequest {
  const mode = batchMode(childText(wrapper, 'mode'));
  const fingerprint = new BatchFingerprint(mode);
  // Each record is validated on its own, so one that fails becomes a FAILED result and the others go on.
  const records = childElements(wrapper)
    .filter((c) => c.name === 'customer')
    .map((element, i) => {
      const one = readBatchRecord(element, i + 1, context.validateRecord(element), context);
      fingerprint.add(one.fingerprint);
      return one.record;
    });
  return { batchId: attrValue(wrapper, 'batchId'), mode, fingerprint: fingerprint.digest(), records };
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
  // A FAILED record carries its externalId only when the XSD took it (batch-record.ts).
  optEl(result, 'externalId', r.externalId);
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
