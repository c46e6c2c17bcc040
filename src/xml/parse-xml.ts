// The one safe way bytes become a DOM (libxml2 compiled to WebAssembly, the
// same parser the validator uses, so a message is parsed exactly once): no
// network, no external entities, and any DOCTYPE refused (XXE and entity
// expansion need one). Body size limits are applied by the transport before
// this is called, the service's shape limits by the dispatcher after it
// (shape-limits.ts); libxml2 itself caps nesting depth (256), one text node
// (10 MB) and entity amplification, and a document past those caps is
// PAYLOAD_TOO_LARGE like one past ours.
// The caller owns the returned document and must dispose() it.
import { ParseOption, XmlDocument as LibraryDocument, XmlParseError } from 'libxml2-wasm';
import type { SchemaErrorDetail } from '../errors.js';
import { MalformedXmlError, PayloadTooLargeError } from '../errors.js';
import { XmlDocument } from './dom.js';

const OPTIONS =
  ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_BIG_LINES;

const DOCTYPE = Buffer.from('<!DOCTYPE');
const MAX_REPORTED = 20;
/** libxml2's messages when a document passes its caps without XML_PARSE_HUGE (parser.c): a resource limit, not a syntax error. */
const LIBXML2_CAP = /^Excessive depth in document|^Resource limit exceeded/;

/** Parses a whole message; MALFORMED_XML with every error's line and column when it is not well-formed. */
export function parseXml(bytes: Uint8Array): XmlDocument {
  // Cheap check first, so an internal subset is never even parsed when sent in UTF-8.
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(DOCTYPE)) refuseDoctype();
  if (bytes.byteLength === 0) {
    throw new MalformedXmlError('The message is not well-formed XML: the body is empty', [
      { line: 1, column: 1, message: 'the body is empty' },
    ]);
  }
  let doc: LibraryDocument;
  try {
    doc = LibraryDocument.fromBuffer(bytes, { option: OPTIONS });
  } catch (err) {
    if (!(err instanceof XmlParseError)) throw err;
    const details: SchemaErrorDetail[] = err.details.slice(0, MAX_REPORTED).map((d) => ({
      line: d.line,
      column: d.col,
      message: d.message.trim(),
    }));
    const first = details[0]?.message ?? err.message;
    if (LIBXML2_CAP.test(first)) throw new PayloadTooLargeError(`The message is beyond the XML parser's own limits: ${first}`);
    throw new MalformedXmlError(`The message is not well-formed XML: ${first}`, details);
  }
  // A DOCTYPE in another encoding (UTF-16) slips past the byte check above.
  if (doc.dtd !== null) {
    doc.dispose();
    refuseDoctype();
  }
  return new XmlDocument(doc);
}

function refuseDoctype(): never {
  throw new MalformedXmlError('A DOCTYPE is not allowed in messages to this service');
}
