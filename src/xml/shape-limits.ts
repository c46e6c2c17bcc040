// The shape a document may have, whatever its size: how deep its elements
// nest, how many attributes one start tag carries, how long one piece of text
// runs. The one statement of these limits and of the fault a breach gets;
// two readers measure against it: checkMessageShape() below for whole
// messages (SOAP, /xml; the dispatcher calls it, once libxml2 has parsed the
// message within its own caps), and the record scanner for streamed batches,
// as it cuts records. Each limit is far beyond anything the
// contract's XSD accepts, so only a document built to cost us meets it.
import { PayloadTooLargeError } from '../errors.js';

export interface ShapeLimits {
  /** Elements open at once, the root being depth 1 (CRM_MAX_DEPTH). */
  readonly maxDepth: number;
  /** Attributes of one start tag, namespace declarations included (CRM_MAX_ATTRIBUTES). */
  readonly maxAttributes: number;
  /** Characters of one text run, CDATA section, comment, PI or attribute value, as written (CRM_MAX_TEXT_CHARS). */
  readonly maxTextChars: number;
}

/**
 * A SOAP 1.1 UpsertCustomers is 7 deep (Envelope, Body, UpsertCustomers,
 * customer, contacts, contact, firstName) and a WS-Security header 5; the
 * longest string the XSD accepts is 254 characters, and the most attributes
 * any of its elements takes is 2. gSOAP and .NET declare some 10-20
 * namespaces on the Envelope; an X.509 BinarySecurityToken is a few KB.
 */
export const DEFAULT_SHAPE_LIMITS: ShapeLimits = { maxDepth: 64, maxAttributes: 64, maxTextChars: 64 * 1024 };

/** Where a breach is, 1-based, in the document as sent. */
export interface Place {
  readonly line: number;
  readonly column: number;
}

/**
 * The fault of a breach: PAYLOAD_TOO_LARGE, as for a body over
 * CRM_MAX_BODY_BYTES. The document may well be well-formed (so not
 * MALFORMED_XML) and the schema is never asked (so not VALIDATION_FAILED):
 * it is more than the service takes on, in one dimension other than bytes,
 * and the sender fixes it the same way, by sending less.
 */
export function shapeBreach(what: 'depth' | 'attributes' | 'text', limits: ShapeLimits, at: Place): PayloadTooLargeError {
  const where = `line ${at.line}, column ${at.column}`;
  switch (what) {
    case 'depth':
      return new PayloadTooLargeError(`Elements nest deeper than ${limits.maxDepth} levels at ${where} (the service's limit, CRM_MAX_DEPTH)`);
    case 'attributes':
      return new PayloadTooLargeError(`A start tag carries more than ${limits.maxAttributes} attributes at ${where} (the service's limit, CRM_MAX_ATTRIBUTES)`);
    case 'text':
      return new PayloadTooLargeError(`A text, attribute value, comment or CDATA section is longer than ${limits.maxTextChars} characters at ${where} (the service's limit, CRM_MAX_TEXT_CHARS)`);
  }
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const NEWLINE = 0x0a;

/**
 * Throws shapeBreach() for the first place a whole message exceeds `limits`.
 * A forward walk over the bytes that finds markup with indexOf (native) and
 * looks at single bytes only inside tags; it checks no well-formedness
 * (libxml2 does, next), but a well-formed document is measured exactly. Text
 * is counted in characters where it could be over the limit at all (UTF-8:
 * lead bytes; other single-byte encodings: bytes); UTF-16 is measured on its
 * UTF-8 form.
 */
export function checkMessageShape(bytes: Uint8Array, limits: ShapeLimits): void {
  const utf16 = isUtf16(bytes);
  const b = utf16 ? Buffer.from(new TextDecoder(utf16).decode(bytes), 'utf8') : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Characters are counted only past the limit in bytes, so the declaration is read only then.
  const longer = (from: number, to: number): boolean =>
    to - from > limits.maxTextChars && chars(b, from, to, utf16 !== undefined || declaresUtf8(b)) > limits.maxTextChars;
  const breach = (what: 'depth' | 'attributes' | 'text', index: number): never => {
    throw shapeBreach(what, limits, placeOf(b, index));
  };
  let depth = 0;
  let i = 0;
  for (;;) {
    const lt = b.indexOf(LT, i);
    if (longer(i, lt < 0 ? b.length : lt)) breach('text', i);
    if (lt < 0) return;
    const c = b[lt + 1];
    if (c === BANG || c === QUESTION) {
      // A comment, CDATA section or PI: its content is text too (a DOCTYPE was refused already).
      const [open, close] = c === QUESTION ? [2, '?>'] : b[lt + 2] === 0x5b /* [ */ ? [9, ']]>'] : [4, '-->'];
      const end = b.indexOf(close, lt + open);
      if (longer(lt + open, end < 0 ? b.length : end)) breach('text', lt);
      if (end < 0) return;
      i = end + close.length;
    } else if (c === SLASH) {
      depth -= 1;
      const end = b.indexOf(GT, lt);
      if (end < 0) return;
      i = end + 1;
    } else {
      // A start tag: every quoted run in it is one attribute's value.
      let attributes = 0;
      let k = lt + 1;
      for (; k < b.length; k++) {
        const q = b[k];
        if (q === GT) break;
        if (q === QUOTE || q === APOSTROPHE) {
          const end = b.indexOf(q, k + 1);
          if (end < 0) return;
          attributes += 1;
          if (attributes > limits.maxAttributes) breach('attributes', lt);
          if (longer(k + 1, end)) breach('text', k);
          k = end;
        }
      }
      if (k >= b.length) return;
      if (b[k - 1] !== SLASH) {
        depth += 1;
        if (depth > limits.maxDepth) breach('depth', lt);
      }
      i = k + 1;
    }
  }
}

/** Characters in b[from, to): UTF-8 lead bytes, or every byte in a single-byte encoding. */
function chars(b: Buffer, from: number, to: number, utf8: boolean): number {
  if (!utf8) return to - from;
  let n = 0;
  for (let k = from; k < to; k++) if (((b[k] as number) & 0xc0) !== 0x80) n += 1;
  return n;
}

/** The decoder label of a UTF-16 document (a byte-order mark, or '<?' as two-byte units), else undefined. */
function isUtf16(b: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === LT && b[1] === 0 && b[2] === QUESTION && b[3] === 0)) return 'utf-16le';
  if ((b[0] === 0xfe && b[1] === 0xff) || (b[0] === 0 && b[1] === LT && b[2] === 0 && b[3] === QUESTION)) return 'utf-16be';
  return undefined;
}

/** UTF-8 unless the declaration names another encoding (XML 1.0 4.3.3). */
function declaresUtf8(b: Buffer): boolean {
  if (b[0] !== LT || b[1] !== QUESTION) return true;
  const label = /^<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(b.toString('latin1', 0, Math.min(b.length, 200)))?.[1];
  return label === undefined || /^utf-?8$/i.test(label);
}

function placeOf(b: Buffer, index: number): Place {
  let line = 1;
  let lineStart = 0;
  for (let k = b.indexOf(NEWLINE); k >= 0 && k < index; k = b.indexOf(NEWLINE, k + 1)) {
    line += 1;
    lineStart = k + 1;
  }
  return { line, column: index - lineStart + 1 };
}
