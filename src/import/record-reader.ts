// One record of a streamed batch: parsed on its own (libxml2, as every
// message), validated against the record schema compiled once, read into a
// customer. A record that is not well-formed or fails the schema becomes a
// FAILED record (mapping/batch-record.ts, as for SOAP) whose message gives
// line, column and rule in the whole document.
import { MalformedXmlError, type SchemaErrorDetail } from '../errors.js';
import { failedRecord, readBatchRecord, type ReadRecord } from '../mapping/batch-record.js';
import type { PayloadValidator } from '../validation/payload-validator.js';
import { childElements, type XmlElement } from '../xml/dom.js';
import { isContractElement, unexpectedElement } from '../validation/contract-root.js';
import { parseXml } from '../xml/parse-xml.js';
import type { RawRecord } from '../xml/record-scanner.js';
import { atPosition, snippetOfAll } from './snippet.js';

/** One record parsed on its own. */
export function readRecord(raw: RawRecord, namespaces: string, validator: PayloadValidator): ReadRecord {
  const { snippet } = snippetOfAll(namespaces, [raw]);
  let doc;
  try {
    doc = parseXml(snippet);
  } catch (err) {
    if (!(err instanceof MalformedXmlError)) throw err;
    return failed(raw, 'MALFORMED_XML', err.errors, raw.text);
  }
  try {
    return readElement(raw, childElements(doc.root)[0], 2, snippet, validator);
  } finally {
    doc.dispose();
  }
}

/**
 * Records parsed together, this many to a document: libxml2's cost per
 * document was ~10 µs of the ~33 µs a record took to parse, validate and read
 * alone, and ~23 µs in documents of 100 (10,000 records, three rounds).
 */
const PARSED_TOGETHER = 100;

/**
 * ...and no more characters than this to a document: V8 makes a string over
 * 128 KB (64 Ki characters outside Latin-1) in its large-object space, and
 * joining 100 pretty-printed records (135 KB) into one took 7-8 us a record
 * against 0.2 for 100 records of one line each (65 KB), with the same again
 * to flatten it; a pretty-printed file's records were read at 74-80 us
 * instead of 42-45.
 */
const CHARS_TOGETHER = 60_000;

/**
 * readRecord for each of `raws`, in order, with the same outcome (message,
 * line and column included), parsing up to PARSED_TOGETHER records (and
 * CHARS_TOGETHER characters) as one document. When that document is not
 * well-formed, its records are read one by one, which tells which of them is
 * not and where.
 */
export function readRecords(raws: readonly RawRecord[], namespaces: string, validator: PayloadValidator): ReadRecord[] {
  const out: ReadRecord[] = [];
  for (let i = 0; i < raws.length; ) {
    let end = i + 1;
    for (let chars = (raws[i] as RawRecord).text.length; end < raws.length && end - i < PARSED_TOGETHER; end++) {
      chars += (raws[end] as RawRecord).text.length;
      if (chars > CHARS_TOGETHER) break;
    }
    for (const one of readTogether(raws.slice(i, end), namespaces, validator)) out.push(one);
    i = end;
  }
  return out;
}

function readTogether(raws: readonly RawRecord[], namespaces: string, validator: PayloadValidator): ReadRecord[] {
  const { snippet, startLines } = snippetOfAll(namespaces, raws);
  let doc;
  try {
    doc = parseXml(snippet);
  } catch (err) {
    if (!(err instanceof MalformedXmlError)) throw err;
    return raws.map((r) => readRecord(r, namespaces, validator));
  }
  try {
    const elements = childElements(doc.root);
    return raws.map((raw, k) => readElement(raw, elements[k], startLines[k] as number, snippet, validator));
  } finally {
    doc.dispose();
  }
}

/** A parsed record element starting on line `startLine` of `snippet`: checked, validated, read. */
function readElement(raw: RawRecord, element: XmlElement | undefined, startLine: number, snippet: Uint8Array, validator: PayloadValidator): ReadRecord {
  if (!isContractElement(element, 'customer')) {
    return failed(raw, 'VALIDATION_FAILED', [{ line: 2, column: 1, message: unexpectedElement(element, 'customer', 'record') }], raw.text);
  }
  // as if the record were alone, on line 2 of its own snippet, then where that is in the document
  const found = validator.validateRecord(element, snippet);
  const errors = found.length === 0 ? found : found.map((e) => atPosition({ ...e, line: e.line - (startLine - 2) }, raw));
  return readBatchRecord(element, raw.index, errors, validator);
}

/** A record that could not be read: its errors placed in the whole document. */
function failed(raw: RawRecord, code: 'MALFORMED_XML' | 'VALIDATION_FAILED', errors: readonly SchemaErrorDetail[], fingerprint: unknown): ReadRecord {
  return failedRecord(raw.index, code, errors.map((e) => atPosition(e, raw)), fingerprint);
}
