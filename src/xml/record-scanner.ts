// Splits a streamed batch document (<CustomerBatch> with any number of record
// children) into the root's start tag and each record's text, with the line
// and column where each starts, holding no more than one record in memory.
// It checks the document's element structure (prolog, one root, every end tag
// naming the start tag it closes, also inside records, quotes, no DOCTYPE,
// nothing but records, whitespace, comments and PIs inside the root): where
// that breaks, where one record ends and the next begins would be a guess, so
// the whole document is refused. What is inside a record's tags and text
// (entities, characters, attributes, namespaces) is parsed and validated by
// libxml2 later, one record at a time. What it holds is bounded: a record
// (or any other construct) larger than MAX_CONSTRUCT_CHARS refuses the
// document, so an unclosed comment or CDATA section cannot make it hold, and
// search again, the rest of the file. Given shape limits (shape-limits.ts),
// it also measures the root's start tag and every record against them as it
// cuts them (depth, attributes, text), so a batch beyond them is refused in
// pass 1, before anything is stored. Text comes decoded (scan-document.ts
// picks the encoding); the declaration must agree with it.
import { MalformedXmlError, PayloadTooLargeError, ValidationFailedError } from '../errors.js';
import { TextDecoder } from 'node:util';
import { clip } from './clip.js';
import { shapeBreach, type ShapeLimits } from './shape-limits.js';

export interface RootTag {
  /** The start tag as sent, `<CustomerBatch ...>` or `<CustomerBatch .../>`. */
  readonly text: string;
  readonly line: number;
  readonly column: number;
  readonly selfClosing: boolean;
}

export interface RawRecord {
  /** 1-based position among the root's element children. */
  readonly index: number;
  /** The element as sent, from its `<` to the `>` of its end tag. */
  readonly text: string;
  readonly line: number;
  readonly column: number;
  /** The line its end tag is on: a reader need not count the record's newlines again. */
  readonly endLine: number;
}

export interface ScanEvents {
  root(tag: RootTag): void;
  record(record: RawRecord): void;
}

type State = 'prolog' | 'body' | 'record' | 'epilog';

/**
 * The most one record, comment or PI may hold, in characters. A customer
 * the XSD accepts holds some 50,000 characters of text at most (50 contacts
 * and 10 addresses, every field at its longest, by the XSD's maxLengths;
 * character references can make that several times longer as written): a
 * MiB leaves room for those and any indentation. Without a
 * bound, a record left open (an unclosed comment or CDATA section) was held
 * to the end of the file and searched again at every piece: 115 s and 720 MB
 * for a 62 MB file (bench/scanner-compare.ts, "unclosed record").
 */
export const MAX_CONSTRUCT_CHARS = 1024 * 1024;

export interface ScanOptions {
  /** The encoding the text was decoded from (a TextDecoder's name); the declaration must name the same. */
  readonly encoding?: string;
  readonly maxConstructChars?: number;
  /** Depth, attributes and text of the root's start tag and of each record; unchecked when absent. */
  readonly shape?: ShapeLimits;
}

const UNLIMITED: ShapeLimits = { maxDepth: Infinity, maxAttributes: Infinity, maxTextChars: Infinity };

const WHITESPACE = /^[ \t\r\n]*$/;
// Constructs told apart by their first characters; a chunk may end inside one.
const PREFIXES = ['<?', '<!--', '<![CDATA[', '<!DOCTYPE', '</'];
/** Whether a UTF-16 code unit may start a tag name: [A-Za-z_:] or anything from U+00C0. */
function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0xc0;
}

export class RecordScanner {
  private buf = '';
  private line = 1;
  private column = 1;
  private state: State = 'prolog';
  private sawDeclaration = false;
  private rootName = '';
  private records = 0;
  // Inside a record: where it starts in buf, how deep we are, where to scan on from.
  private recordLine = 0;
  private recordColumn = 0;
  private depth = 0;
  private scanFrom = 0;
  /** The open elements of the record: where each one's name starts in buf, and its length. */
  private readonly openAt: number[] = [];
  private readonly openLength: number[] = [];
  /** Where the text run the record scan is in began (after the last construct). */
  private textFrom = 0;
  /** Attributes of the last start tag tagEnd() found whole. */
  private tagAttributes = 0;

  private readonly encoding: string;
  private readonly maxConstructChars: number;
  private readonly shape: ShapeLimits;

  constructor(private readonly events: ScanEvents, options: ScanOptions = {}) {
    this.encoding = options.encoding ?? 'utf-8';
    this.maxConstructChars = options.maxConstructChars ?? MAX_CONSTRUCT_CHARS;
    this.shape = options.shape ?? UNLIMITED;
  }

  push(text: string): void {
    this.buf += this.state === 'prolog' && this.buf === '' && !this.sawDeclaration ? text.replace(/^\uFEFF/, '') : text;
    while (this.step()) {
      // each step consumes one construct; stop when more input is needed
    }
    // What is left is one unfinished construct (and the whitespace before it).
    if (this.buf.length > this.maxConstructChars) throw this.tooLarge();
  }

  /** The input is complete: anything left open is an error. */
  end(): void {
    this.step();
    if (!WHITESPACE.test(this.buf) || this.state !== 'epilog') {
      const what = this.state === 'prolog' ? 'no root element' : this.state === 'epilog' ? 'an unfinished construct' : `the document ends inside <${this.rootName}>`;
      throw this.malformed(this.buf.length, `The document is incomplete: ${what}`);
    }
  }

  private step(): boolean {
    return this.state === 'record' ? this.scanRecord() : this.scanMarkup();
  }

  /** Outside records: whitespace, comments, PIs, the root's tags, record starts. */
  private scanMarkup(): boolean {
    const lt = this.buf.indexOf('<');
    const text = lt < 0 ? this.buf : this.buf.slice(0, lt);
    if (!WHITESPACE.test(text)) {
      const at = text.search(/[^ \t\r\n]/);
      if (this.state === 'body') throw this.invalid(at, `Text is not allowed between the records of <${this.rootName}>`);
      throw this.malformed(at, this.state === 'prolog' ? 'Text before the root element' : 'Text after the root element');
    }
    if (lt < 0) {
      this.consume(this.buf.length);
      return false;
    }
    const rest = this.buf.slice(lt, lt + 9);
    if (rest.length < 9 && PREFIXES.some((p) => p.startsWith(rest) && p !== rest)) return false;
    if (rest.startsWith('<?')) return this.skipUntil(lt, '?>', () => this.declaration(lt));
    if (rest.startsWith('<!--')) return this.skipUntil(lt, '-->', () => this.comment(lt), 4);
    if (rest.length < 2) return false;
    if (rest.startsWith('<!')) {
      if (rest.startsWith('<!DOCTYPE')) throw this.malformed(lt, 'A DOCTYPE is not allowed in messages to this service');
      if (this.state === 'body' && rest.startsWith('<![CDATA[')) throw this.invalid(lt, `Text is not allowed between the records of <${this.rootName}>`);
      throw this.malformed(lt, 'Markup declarations are not allowed');
    }
    if (rest.startsWith('</')) {
      const close = this.buf.indexOf('>', lt);
      if (close < 0) return false;
      const name = this.buf.slice(lt + 2, close).trimEnd();
      if (this.state !== 'body' || name !== this.rootName) throw this.malformed(lt, `Unexpected end tag </${clip(name)}>`);
      this.consume(close + 1);
      this.state = 'epilog';
      return true;
    }
    if (!isNameStart(rest.charCodeAt(1))) throw this.malformed(lt + 1, `Invalid character '${rest.charAt(1)}' after '<'`);
    const end = this.tagEnd(lt);
    if (end < 0) return false;
    this.checkAttributes(lt);
    const selfClosing = this.buf.charAt(end - 1) === '/';
    if (this.state === 'epilog') throw this.malformed(lt, 'A second root element');
    if (this.state === 'prolog') {
      const [line, column] = this.positionOf(lt);
      this.rootName = /^<([^\s/>]+)/.exec(this.buf.slice(lt, end + 1))?.[1] ?? '';
      this.events.root({ text: this.buf.slice(lt, end + 1), line, column, selfClosing });
      this.consume(end + 1);
      this.state = selfClosing ? 'epilog' : 'body';
      return true;
    }
    // A record starts: in the body, at depth 1 below the root.
    this.consume(lt);
    [this.recordLine, this.recordColumn] = [this.line, this.column];
    if (selfClosing) {
      this.emitRecord(end - lt + 1);
      return true;
    }
    this.depth = 1;
    // The root is depth 1 of the document, a record 2.
    if (this.depth + 1 > this.shape.maxDepth) throw this.breach('depth', 0);
    this.openAt[0] = 1;
    this.openLength[0] = this.nameLength(1);
    this.scanFrom = end - lt + 1;
    this.textFrom = this.scanFrom;
    this.state = 'record';
    return true;
  }

  /**
   * Inside a record (which starts at buf[0]): find where it ends. The
   * character after each '<' tells the constructs apart, compared in place:
   * slicing a few characters at each of a record's ~40 tags to compare them
   * took 6.4-6.9 µs a record, this 4.2-5.3 µs (100k records, four rounds).
   */
  private scanRecord(): boolean {
    const buf = this.buf;
    const maxText = this.shape.maxTextChars;
    for (;;) {
      const lt = buf.indexOf('<', this.scanFrom);
      if ((lt < 0 ? buf.length : lt) - this.textFrom > maxText) throw this.breach('text', this.textFrom);
      if (lt < 0) {
        this.scanFrom = buf.length;
        return false;
      }
      const c = buf.charCodeAt(lt + 1);
      let next: number;
      if (c === 0x2f /* / */) {
        const close = buf.indexOf('>', lt);
        if (close < 0) return false;
        this.depth -= 1;
        this.checkEndTag(lt, close);
        if (this.depth === 0) {
          this.emitRecord(close + 1);
          return true;
        }
        next = close + 1;
      } else if (c === 0x21 /* ! */) {
        // Their content, less the delimiters, is text like any other.
        let delimiters: number;
        if (buf.startsWith('<!--', lt)) [next, delimiters] = [this.after(lt, '-->', 4), 7];
        else if (buf.startsWith('<![CDATA[', lt)) [next, delimiters] = [this.after(lt, ']]>'), 12];
        else if (buf.length < lt + 9) return false;
        else throw this.malformed(lt, 'Markup declarations are not allowed');
        if (next - lt - delimiters > maxText) throw this.breach('text', lt);
      } else if (c === 0x3f /* ? */) {
        next = this.after(lt, '?>');
        if (next - lt - 4 > maxText) throw this.breach('text', lt);
      } else if (Number.isNaN(c)) {
        return false; // the '<' is the last character so far
      } else {
        if (!isNameStart(c)) throw this.malformed(lt + 1, `Invalid character '${buf.charAt(lt + 1)}' after '<'`);
        const end = this.tagEnd(lt);
        if (end < 0) return false;
        this.checkAttributes(lt);
        if (buf.charCodeAt(end - 1) !== 0x2f /* / */) {
          this.openAt[this.depth] = lt + 1;
          this.openLength[this.depth] = this.nameLength(lt + 1);
          this.depth += 1;
          if (this.depth + 1 > this.shape.maxDepth) throw this.breach('depth', lt);
        }
        next = end + 1;
      }
      if (next < 0) return false;
      this.scanFrom = next;
      this.textFrom = next;
    }
  }

  private checkAttributes(lt: number): void {
    if (this.tagAttributes > this.shape.maxAttributes) throw this.breach('attributes', lt);
  }

  /** Length of the tag name starting at buf[at]: up to whitespace, '/' or '>' (the tag is complete in buf). */
  private nameLength(at: number): number {
    const buf = this.buf;
    let i = at;
    for (let c = buf.charCodeAt(i); c > 0x3e || (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a && c !== 0x2f && c !== 0x3e); c = buf.charCodeAt(i)) i += 1;
    return i - at;
  }

  /**
   * The end tag from `lt` to `close` must name the element open at this.depth
   * (XML 1.0, element type match), compared in place, without slicing.
   */
  private checkEndTag(lt: number, close: number): void {
    const at = this.openAt[this.depth] ?? 0;
    const length = this.openLength[this.depth] ?? 0;
    const buf = this.buf;
    let matches = close - (lt + 2) >= length;
    for (let k = 0; matches && k < length; k++) matches = buf.charCodeAt(lt + 2 + k) === buf.charCodeAt(at + k);
    // After the name, only whitespace before '>'.
    for (let i = lt + 2 + length; matches && i < close; i++) {
      const c = buf.charCodeAt(i);
      matches = c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
    }
    if (!matches) {
      const found = clip(buf.slice(lt + 2, close).trimEnd());
      throw this.malformed(lt, `The end tag </${found}> does not close <${clip(buf.slice(at, at + length))}>`);
    }
  }

  private emitRecord(length: number): void {
    this.records += 1;
    const text = this.buf.slice(0, length);
    this.consume(length);
    this.events.record({ index: this.records, text, line: this.recordLine, column: this.recordColumn, endLine: this.line });
    this.state = 'body';
    this.scanFrom = 0;
  }

  /** The XML declaration, where there is one: its encoding must be the one the text was decoded from. */
  private declaration(lt: number): void {
    const pi = this.buf.slice(lt, this.buf.indexOf('?>', lt) + 2);
    if (!/^<\?xml[\s?]/.test(pi)) return;
    if (this.state !== 'prolog' || this.sawDeclaration || lt !== 0) throw this.malformed(lt, 'The XML declaration must come first');
    this.sawDeclaration = true;
    const declared = /encoding\s*=\s*["']([^"']+)["']/.exec(pi)?.[1];
    if (declared !== undefined && !sameEncoding(declared, this.encoding)) {
      throw this.malformed(lt, `The declaration names encoding ${clip(declared)}, but the document reads as ${this.encoding}`);
    }
  }

  /** A comment between records: '--' may not occur inside it, nor may it end in '-' (XML 1.0 [15]). */
  private comment(lt: number): void {
    const end = this.buf.indexOf('-->', lt + 4);
    const inner = this.buf.indexOf('--', lt + 4);
    if (inner < end || (end > lt + 4 && this.buf.charCodeAt(end - 1) === 0x2d)) throw this.malformed(inner < end ? inner : end - 1, "'--' is not allowed inside a comment");
  }

  /** `from`: where the terminator may start, after the construct's opening ('<!--' is 4, so '<!-->' is no comment). */
  private skipUntil(lt: number, terminator: string, check?: () => void, from = 2): boolean {
    const end = this.buf.indexOf(terminator, lt + from);
    if (end < 0) return false;
    check?.();
    this.consume(end + terminator.length);
    return true;
  }

  private after(lt: number, terminator: string, from = 2): number {
    const end = this.buf.indexOf(terminator, lt + from);
    return end < 0 ? -1 : end + terminator.length;
  }

  /**
   * Index of the `>` closing the tag that starts at `lt`, skipping quoted
   * values (each one attribute's, counted in tagAttributes); -1 when not yet here.
   */
  private tagEnd(lt: number): number {
    this.tagAttributes = 0;
    for (let i = lt + 1; i < this.buf.length; i++) {
      const c = this.buf.charCodeAt(i);
      if (c === 0x3e /* > */) return i;
      if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
        const close = this.buf.indexOf(c === 0x22 ? '"' : "'", i + 1);
        if (close < 0) return -1;
        this.tagAttributes += 1;
        if (close - i - 1 > this.shape.maxTextChars) throw this.breach('text', i);
        i = close;
      } else if (c === 0x3c /* < */) {
        throw this.malformed(i, "'<' inside a tag");
      }
    }
    return -1;
  }

  private consume(n: number): void {
    [this.line, this.column] = this.positionOf(n);
    this.buf = this.buf.slice(n);
  }

  /**
   * Line and column of buf[index], looking no further than index: searching
   * on for the next newline read the rest of the buffer at every record of a
   * file without newlines (one line: ~0.5 us a record more than one record a
   * line, in pieces of 64 KB).
   */
  private positionOf(index: number): [number, number] {
    const last = index > 0 ? this.buf.lastIndexOf('\n', index - 1) : -1;
    if (last < 0) return [this.line, this.column + index];
    let line = this.line + 1;
    for (let i = this.buf.indexOf('\n'); i < last; i = this.buf.indexOf('\n', i + 1)) line += 1;
    return [line, index - last];
  }

  /** A fatal error right after the text pushed so far (the decoder found bytes that are not its encoding). */
  malformedAtEnd(message: string): MalformedXmlError {
    return this.malformed(this.buf.length, message);
  }

  private tooLarge(): PayloadTooLargeError {
    const at = Math.max(0, this.buf.search(/[^ \t\r\n]/));
    const [line, column] = this.positionOf(at);
    const what = this.state === 'record' ? 'The record' : 'The construct';
    const message = `${what} starting at line ${line}, column ${column} is larger than ${this.maxConstructChars} characters (a customer the XSD accepts holds some 50,000 characters): an unclosed comment, CDATA section, quote or tag?`;
    return new PayloadTooLargeError(message);
  }

  private breach(what: 'depth' | 'attributes' | 'text', index: number): PayloadTooLargeError {
    const [line, column] = this.positionOf(Math.max(0, index));
    return shapeBreach(what, this.shape, { line, column });
  }

  private malformed(index: number, message: string): MalformedXmlError {
    const [line, column] = this.positionOf(Math.max(0, index));
    return new MalformedXmlError(`The message is not well-formed XML: ${message} (line ${line}, column ${column})`, [{ line, column, message }]);
  }

  private invalid(index: number, message: string): ValidationFailedError {
    const [line, column] = this.positionOf(Math.max(0, index));
    return new ValidationFailedError(`${message} (line ${line}, column ${column})`, [{ line, column, message }]);
  }
}

/** Whether an encoding label names `decoded` (a TextDecoder's encoding name); 'UTF-16' covers both byte orders. */
function sameEncoding(label: string, decoded: string): boolean {
  if (/^utf-?16$/i.test(label.trim())) return decoded.startsWith('utf-16');
  try {
    return new TextDecoder(label.trim()).encoding === decoded;
  } catch {
    return false;
  }
}
