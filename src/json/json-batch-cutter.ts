// A streamed JSON object of any size whose one array member holds the records
// (a batch: {"batchId","mode","customers":[...]}), cut into those records'
// bytes without ever holding the whole text. Tokens come from
// @streamparser/json's Tokenizer (a streaming tokenizer that gives every
// token's byte offset, so a record can be cut out of the bytes as sent);
// each record is then parsed whole by its reader (parse-json.ts). It also
// runs the same library's TokenParser over every token (JSON's grammar, so a
// body that is not JSON anywhere is MALFORMED_JSON with its line and column
// before anything is stored), checks UTF-8, and applies the shape limits
// (depth, string length, record size) as it goes, in bounded memory: pass
// 1's exact check, and the grammar of the quick check's frame (the text
// without its records; json-batch.ts). Chosen over stream-json: tokens with offsets (stream-json's
// carry none, so a record's text could not be cut), byte positions in errors,
// no dependency, and stream-json says it is not meant for untrusted input.
import { afterBom, ByteWindow, type WindowChunk } from './byte-window.js';
import { TextDecoder } from 'node:util';
import { TokenParser, Tokenizer, TokenType } from '@streamparser/json';
import { MalformedJsonError, PayloadTooLargeError } from '../errors.js';

export interface CutLimits {
  /** Characters (UTF-16 units) one record may hold. */
  readonly maxRecordChars: number;
  /** Objects and arrays open at once, the batch object being 1. */
  readonly maxDepth: number;
  /** Characters of one string or member name. */
  readonly maxTextChars: number;
}

/** A member of the top object other than the records' array: its name, where it is, and its value (a container as its kind only). */
export interface TopMember {
  readonly name: string;
  readonly line: number;
  readonly column: number;
  readonly value: string | number | boolean | null | { readonly container: 'object' | 'array' };
  /** Whether it came after the records' array member. */
  readonly afterRecords: boolean;
}

export interface CutHandlers {
  /** The top value is not an object: its kind. */
  readonly notObject?: (kind: string) => void;
  readonly member?: (member: TopMember) => void;
}

interface Chunk extends WindowChunk {
  /** Line and column (UTF-16 units) of its first byte: known when checking. */
  readonly line: number;
  readonly column: number;
}

const OPENERS = new Set([TokenType.LEFT_BRACE, TokenType.LEFT_BRACKET]);
const CLOSERS = new Set([TokenType.RIGHT_BRACE, TokenType.RIGHT_BRACKET]);

/**
 * Bytes in (push), records' bytes out, checking grammar, UTF-8, limits and
 * positions as it cuts (pass 2 over the same spooled copy cuts with
 * json-record-cutter.ts's byte walk).
 */
export class JsonBatchCutter {
  private readonly tokenizer: Tokenizer;
  private readonly grammar: TokenParser;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly window = new ByteWindow<Chunk>(true);
  /** Bytes pushed so far (the byte-order mark left out). */
  private end = 0;
  private line = 1;
  private column = 1;
  private depth = 0;
  private expectKey = false;
  private key: { name: string; line: number; column: number } | undefined;
  private inRecords = false;
  private seenRecords = false;
  private recordStart: number | undefined;
  private found: Buffer[] = [];
  private first = true;
  private started = false;

  constructor(
    private readonly recordsMember: string,
    private readonly handlers: CutHandlers,
    private readonly limits: CutLimits,
  ) {
    // Partial tokens only to measure a long string before it is whole.
    this.tokenizer = new Tokenizer({ emitPartialTokens: true });
    this.grammar = new TokenParser({ paths: [`$.${recordsMember}.*`], keepStack: false });
    this.grammar.onValue = () => undefined;
    this.tokenizer.onToken = (t) => this.token(t.token, t.value, t.offset, t.partial === true);
  }

  /** The records `bytes` completes, each the bytes of one array element as sent. */
  push(input: Buffer): Buffer[] {
    const bytes = afterBom(input, this.first);
    if (input.length > 0) this.first = false;
    if (bytes.length === 0) return [];
    const chunk: Chunk = { start: this.end, bytes, line: this.line, column: this.column };
    this.window.push(chunk);
    this.end += bytes.length;
    this.checkUtf8(chunk);
    this.advance(bytes);
    try {
      this.tokenizer.write(bytes);
    } catch (err) {
      throw this.asMalformed(err, undefined);
    }
    if (this.recordStart !== undefined && this.end - this.recordStart > 3 * this.limits.maxRecordChars) {
      // A character is at most three bytes (four for two UTF-16 units): this one is too large, wherever it ends.
      throw this.tooLarge(this.recordStart);
    }
    const out = this.found;
    this.found = [];
    return out;
  }

  /** The end of the text: MALFORMED_JSON when it ends inside the value (or before one). */
  finish(): void {
    try {
      this.tokenizer.end();
    } catch (err) {
      throw this.asMalformed(err, undefined);
    }
    try {
      this.utf8.decode();
    } catch {
      throw this.malformed(this.end, 'the text ends inside a UTF-8 sequence');
    }
    if (!this.started) throw this.malformed(this.end, 'the body is empty');
    if (!this.grammar.isEnded) throw this.malformed(this.end, 'the text ends before its value does');
  }

  private token(token: TokenType, value: unknown, offset: number, partial: boolean): void {
    const limits = this.limits;
    if (token === TokenType.STRING && typeof value === 'string' && value.length > limits.maxTextChars) {
      throw new PayloadTooLargeError(`A string is longer than ${limits.maxTextChars} characters at ${this.placeText(offset)} (the service's limit, CRM_MAX_TEXT_CHARS)`);
    }
    if (partial) return;
    this.started = true;
    try {
      this.grammar.write({ token, value: value as never, offset } as never);
    } catch (err) {
      throw this.asMalformed(err, offset);
    }
    const depth = this.depth;
    if (depth === 0 && token === TokenType.LEFT_BRACE) this.expectKey = true;
    if (depth === 0 && !OPENERS.has(token) && token !== TokenType.SEPARATOR) this.handlers.notObject?.('a scalar');
    if (depth === 0 && token === TokenType.LEFT_BRACKET) this.handlers.notObject?.('an array');
    if (depth === 1) this.topToken(token, value, offset);
    if (depth === 2 && this.inRecords) {
      if (token === TokenType.COMMA || token === TokenType.RIGHT_BRACKET) {
        if (this.recordStart !== undefined) this.cut(this.recordStart, offset);
        this.recordStart = undefined;
      } else if (this.recordStart === undefined) {
        this.recordStart = offset;
      }
    }
    if (OPENERS.has(token)) {
      this.depth++;
      if (this.depth > limits.maxDepth) {
        throw new PayloadTooLargeError(`Objects and arrays nest deeper than ${limits.maxDepth} levels at ${this.placeText(offset)} (the service's limit, CRM_MAX_DEPTH)`);
      }
    } else if (CLOSERS.has(token)) {
      this.depth--;
      if (this.depth === 1 && this.inRecords) this.inRecords = false;
    }
    // Bytes before this token are not needed again (nor before an open record).
    this.window.forget(Math.min(offset, this.recordStart ?? offset));
  }

  /** A token of the top object itself: member names and scalar values, the records array found. */
  private topToken(token: TokenType, value: unknown, offset: number): void {
    if (token === TokenType.COMMA) {
      this.expectKey = true;
      return;
    }
    if (token === TokenType.RIGHT_BRACE) return;
    if (this.expectKey && token === TokenType.STRING) {
      const at = this.placeOf(offset);
      this.key = { name: value as string, ...at };
      this.expectKey = false;
      return;
    }
    if (token === TokenType.COLON) return;
    const key = this.key;
    if (key === undefined) return;
    this.key = undefined;
    const records = key.name === this.recordsMember && token === TokenType.LEFT_BRACKET && !this.seenRecords;
    const member: TopMember = {
      name: key.name,
      line: key.line,
      column: key.column,
      value: token === TokenType.LEFT_BRACE ? { container: 'object' } : token === TokenType.LEFT_BRACKET ? { container: 'array' } : (value as string | number | boolean | null),
      afterRecords: this.seenRecords,
    };
    this.handlers.member?.(member);
    if (records) {
      this.seenRecords = true;
      this.inRecords = true;
    }
  }

  /** A record's bytes, measured. */
  private cut(from: number, to: number): void {
    const bytes = this.window.slice(from, to);
    if (utf16Length(bytes) > this.limits.maxRecordChars) throw this.tooLarge(from);
    this.found.push(bytes);
  }

  /** Line and column of the end of `bytes`, counted on from the last chunk's. */
  private advance(bytes: Buffer): void {
    let line = this.line;
    let column = this.column;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (b === 0x0a) {
        line++;
        column = 1;
      } else if ((b & 0xc0) !== 0x80) {
        column += b >= 0xf0 ? 2 : 1;
      }
    }
    this.line = line;
    this.column = column;
  }

  private placeOf(offset: number): { line: number; column: number } {
    const c = this.window.held.find((w) => offset < w.start + w.bytes.length) ?? this.window.held.at(-1);
    if (c === undefined) return { line: 1, column: 1 };
    let { line, column } = c;
    const upTo = Math.min(offset - c.start, c.bytes.length);
    for (let i = 0; i < upTo; i++) {
      const b = c.bytes[i] as number;
      if (b === 0x0a) {
        line++;
        column = 1;
      } else if ((b & 0xc0) !== 0x80) {
        column += b >= 0xf0 ? 2 : 1;
      }
    }
    return { line, column };
  }

  private placeText(offset: number): string {
    const at = this.placeOf(offset);
    return `line ${at.line}, column ${at.column}`;
  }

  private checkUtf8(chunk: Chunk): void {
    try {
      this.utf8.decode(chunk.bytes, { stream: true });
    } catch {
      const lossy = chunk.bytes.toString('utf8');
      const at = Math.max(0, lossy.indexOf('\uFFFD'));
      throw this.malformed(chunk.start + Buffer.byteLength(lossy.slice(0, at)), 'a byte sequence that is not UTF-8', 'it is not UTF-8');
    }
  }

  private tooLarge(from: number): PayloadTooLargeError {
    return new PayloadTooLargeError(`The record at ${this.placeText(from)} is longer than ${this.limits.maxRecordChars} characters (the service's limit, CRM_MAX_RECORD_BYTES)`);
  }

  /** A tokenizer or grammar error as MALFORMED_JSON: at the token's offset, or at the position the tokenizer names. */
  private asMalformed(err: unknown, offset: number | undefined): unknown {
    if (!(err instanceof Error) || err instanceof PayloadTooLargeError || err instanceof MalformedJsonError) return err;
    const named = /absolute position "(\d+)"/.exec(err.message);
    const at = offset ?? (named === null ? this.end : Number(named[1]));
    const what = /^Unexpected "(.*)" at chunk/s.exec(err.message);
    const token = /^Unexpected ([A-Z_]+) \((.*)\) in state ([A-Z_]+)/s.exec(err.message);
    const message = what !== null
      ? `unexpected ${describeChar(what[1] ?? '')}`
      : token !== null ? `unexpected ${(token[1] ?? '').toLowerCase().replaceAll('_', ' ')} ${clip(token[2] ?? '')}` : err.message;
    return this.malformed(at, message);
  }

  private malformed(offset: number, message: string, why?: string): MalformedJsonError {
    const at = this.placeOf(offset);
    return new MalformedJsonError(`The body is not JSON: ${why ?? `${message} at line ${at.line}, column ${at.column}`}${why === undefined ? '' : ` (line ${at.line}, column ${at.column})`}`, [
      { ...at, message },
    ]);
  }
}

function describeChar(c: string): string {
  if (c === '') return 'end of a string';
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 ? `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${c}'`;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

/** Characters of UTF-8 `bytes` as UTF-16 units (a string's length), without decoding them. */
export function utf16Length(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

/** Cuts `input` (pass 1 when `limits` is given): yields the records each chunk completes. */
export async function* cutJsonBatch(
  input: AsyncIterable<Buffer>,
  recordsMember: string,
  handlers: CutHandlers,
  limits: CutLimits,
): AsyncGenerator<Buffer[]> {
  const cutter = new JsonBatchCutter(recordsMember, handlers, limits);
  for await (const chunk of input) yield cutter.push(chunk);
  cutter.finish();
}
