// A streamed batch document through the record scanner: bytes in, the
// records each input chunk completes out. The one decode-and-scan loop of
// both passes of an import (pass 1 checks structure, pass 2 reads records),
// and so the one place a document's encoding is decided: from its byte-order
// mark, else from its declaration, else UTF-8 (XML 1.0 4.3.3 and appendix F).
// Records leave as strings, and each is parsed as UTF-8 from there on, so a
// file in UTF-16 or a legacy ERP's ISO-8859-1 imports like any other.
import { TextDecoder } from 'node:util';
import { MalformedXmlError } from '../errors.js';
import { RecordScanner, type RawRecord, type RootTag } from '../xml/record-scanner.js';
import type { ShapeLimits } from '../xml/shape-limits.js';

/**
 * Bytes decoded and scanned at a time. Files are read 256 KB at a time, and a
 * string that large costs V8 far more to make and scan than several small
 * ones: pass 1 over 100k records took 7.6-7.8 µs a record in pieces of 256
 * KB, 4.6 in 128 KB, 3.5-4.1 in 64 KB and 3.8 in 32 KB (decoding alone: 350
 * ms against 70 ms for 64 MB). Past 128 KB a string goes to V8's large-object
 * space, and text with a character outside Latin-1 takes two bytes a
 * character: 64 KB pieces of such a file scanned at 9.8-11.1 µs a record
 * against 5.3, in 32 KB pieces at 5.0-5.4 against 5.0-5.2 (100k records, a
 * two-byte letter in some names, alternating).
 */
export const PIECE_BYTES = 32 * 1024;

const STRICT = { fatal: true } as const;

/** Bytes looked at for a declaration's encoding: it must end within them. */
const HEAD_BYTES = 1024;

/** Yields once per input chunk ([] when it completes no record); `onRoot` hears the root's start tag. */
export async function* scanDocument(
  input: AsyncIterable<Buffer>,
  onRoot: (tag: RootTag) => void = () => undefined,
  limits: { readonly maxRecordChars?: number; readonly shape?: ShapeLimits } = {},
): AsyncGenerator<RawRecord[]> {
  let decoder: TextDecoder | undefined;
  let scanner: RecordScanner | undefined;
  let head: Buffer = Buffer.alloc(0);
  let found: RawRecord[] = [];
  const start = (bytes: Buffer): RecordScanner => {
    decoder = decoderFor(bytes);
    return new RecordScanner({ root: onRoot, record: (r) => found.push(r) }, { encoding: decoder.encoding, maxConstructChars: limits.maxRecordChars, shape: limits.shape });
  };
  const scan = (s: RecordScanner, bytes: Buffer): void => {
    for (let at = 0; at < bytes.length; at += PIECE_BYTES) s.push(decodePiece(decoder as TextDecoder, s, bytes.subarray(at, at + PIECE_BYTES)));
  };
  for await (const chunk of input) {
    if (scanner === undefined) {
      // Enough of the beginning to read a byte-order mark or a declaration, however small the chunks come.
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (!headComplete(head)) continue;
      scanner = start(head);
      scan(scanner, head);
    } else {
      scan(scanner, chunk);
    }
    const complete = found;
    found = [];
    yield complete;
  }
  if (scanner === undefined) {
    scanner = start(head);
    scan(scanner, head);
  }
  scanner.push(decodePiece(decoder as TextDecoder, scanner, undefined));
  scanner.end();
  if (found.length > 0) yield found;
}

/**
 * The piece's text. Bytes that are not the encoding's are a fatal error (XML
 * 1.0 4.3.3), never a silent U+FFFD in a stored name: the scanner takes the
 * text before them and says where that is.
 */
function decodePiece(decoder: TextDecoder, scanner: RecordScanner, piece: Buffer | undefined): string {
  try {
    return piece === undefined ? decoder.decode() : decoder.decode(piece, { stream: true });
  } catch {
    const lenient = new TextDecoder(decoder.encoding).decode(piece);
    scanner.push(lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD'))));
    throw scanner.malformedAtEnd(`Bytes that are not ${decoder.encoding}`);
  }
}

/** Whether `head` holds the byte-order mark and the whole declaration, if there is one. */
function headComplete(head: Buffer): boolean {
  if (head.length >= HEAD_BYTES) return true;
  if (head.length < 4) return false;
  const ascii = head.toString('latin1');
  if (ascii.startsWith('<?xml')) return ascii.includes('?>');
  // UTF-16 or a BOM: the mark decides, nothing more is needed.
  return true;
}

/**
 * The decoder of a document beginning with `head`: a byte-order mark (UTF-8,
 * UTF-16LE/BE), UTF-16 without one ('<?' as two-byte units), the
 * declaration's encoding when it names one TextDecoder knows, else UTF-8.
 * The scanner then checks that the declaration agrees.
 */
function decoderFor(head: Buffer): TextDecoder {
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be', STRICT);
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le', STRICT);
  if (head[0] === 0x00 && head[1] === 0x3c && head[2] === 0x00 && head[3] === 0x3f) return new TextDecoder('utf-16be', STRICT);
  if (head[0] === 0x3c && head[1] === 0x00 && head[2] === 0x3f && head[3] === 0x00) return new TextDecoder('utf-16le', STRICT);
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return new TextDecoder('utf-8', STRICT);
  const declaration = /^<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']/.exec(head.toString('latin1', 0, HEAD_BYTES));
  const label = declaration?.[1];
  if (label === undefined || /^utf-?8$/i.test(label)) return new TextDecoder('utf-8', STRICT);
  if (/^utf-?16$/i.test(label)) {
    throw new MalformedXmlError(`The declaration names encoding ${label}, but the document has no UTF-16 byte-order mark (line 1, column 1)`, [
      { line: 1, column: 1, message: `encoding ${label} without a byte-order mark` },
    ]);
  }
  try {
    return new TextDecoder(label, STRICT);
  } catch {
    const shown = label.slice(0, 40);
    throw new MalformedXmlError(`The document's encoding ${shown} is not supported; send UTF-8, UTF-16 or an encoding such as ISO-8859-1 or windows-1252 (line 1, column 1)`, [
      { line: 1, column: 1, message: `encoding ${shown} is not supported` },
    ]);
  }
}
