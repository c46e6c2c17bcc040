// The one safe way bytes become a DOM: no network, no entity substitution, no
// DTD loading, and any DOCTYPE refused (XXE and entity-expansion attacks need
// one). Size limits are applied by the transport before this is called; libxml2
// itself caps nesting depth (256) and entity amplification.
import libxml from 'libxmljs2';
import type { Document } from 'libxmljs2';
import { MalformedXmlError } from '../errors.js';

const PARSE_OPTIONS = {
  nonet: true,
  noent: false,
  dtdload: false,
  dtdattr: false,
  dtdvalid: false,
  xinclude: false,
  huge: false,
  big_lines: true,
  noblanks: false,
  // Not to accept broken XML (any error refuses the message below), but because
  // only in this mode libxmljs2 reports every error; otherwise just the last
  // one, which for a tag mismatch is a useless "premature end of data".
  recover: true,
} as const;

const MAX_REPORTED = 20;

const DOCTYPE = Buffer.from('<!DOCTYPE');

/** Parses a whole message; MALFORMED_XML with line and column when it is not well-formed. */
export function parseXml(bytes: Buffer): Document {
  // Cheap check first, so an internal subset is never even parsed when sent in UTF-8.
  if (bytes.includes(DOCTYPE)) refuseDoctype();
  let doc: Document;
  try {
    doc = libxml.parseXml(bytes as unknown as string, PARSE_OPTIONS);
  } catch (err) {
    // Nothing usable at all: an empty body, or no root element.
    const e = err as { message?: string; line?: number; column?: number };
    const message = bytes.length === 0 ? 'the body is empty' : (e.message ?? 'no root element').trim();
    throw new MalformedXmlError(`The message is not well-formed XML: ${message}`, [
      { line: e.line || 1, column: e.column || 1, message },
    ]);
  }
  // Warnings (level 1, e.g. a relative namespace URI) are not well-formedness errors.
  const errors = doc.errors.filter((e) => (e.level ?? 3) >= 2);
  if (errors.length > 0) {
    const details = errors.slice(0, MAX_REPORTED).map((e) => ({
      line: e.line ?? 0,
      column: e.column ?? 0,
      message: (e.message ?? 'not well-formed').trim(),
    }));
    throw new MalformedXmlError(`The message is not well-formed XML: ${details[0]?.message ?? ''}`, details);
  }
  // A DOCTYPE in another encoding (UTF-16) slips past the byte check above.
  if (doc.getDtd() !== null) refuseDoctype();
  return doc;
}

function refuseDoctype(): never {
  throw new MalformedXmlError('A DOCTYPE is not allowed in messages to this service');
}
