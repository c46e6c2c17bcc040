// The records' bytes of a JSON batch cut out by walking its bytes once,
// tracking strings, escapes and nesting, instead of tokenizing (which decodes
// every string and number of every record into a JS value, then throws it
// away: a cpu-prof of a 100k import had the tokenizer's string building as
// the largest JS cost after the store). Records come out byte for byte as the
// tokenizing cutter (json-batch-cutter.ts) cuts them: from the element's
// first byte to the comma or bracket after it.
//
// The walk checks no grammar. Pass 2 uses it on a text pass 1 has checked.
// Pass 1's quick check (json-batch.ts) uses it with `screen`: it then also
// says where the text passes a shape limit (a doubt, not an error: the exact
// check words it), and hands over the frame, the text with each record
// replaced by `0`, for the tokenizing cutter to check the grammar around the
// records while each record is checked by JSON.parse alone.
import { afterBom, ByteWindow, type WindowChunk } from './byte-window.js';
import type { CutLimits } from './json-batch-cutter.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** What a record stands as in the frame: a value no byte beside it can join. */
const PLACEHOLDER = Buffer.from('0');

/** Bytes between two records held back at most, to fold `0 , 0` into one `0`. */
const MAX_HELD_BETWEEN = 64;

/** Whether `bytes` is one comma with whitespace only around it: what lies between two records of a well-formed array. */
function oneComma(bytes: Buffer): boolean {
  let commas = 0;
  for (const b of bytes) {
    if (b === COMMA) commas++;
    else if (!isSpace(b)) return false;
  }
  return commas === 1;
}

/** One record: the bytes of one array element as sent, and its members. */
export interface CutRecord {
  readonly bytes: Buffer;
  /**
   * The record's colons outside strings, counted on the way: one per member
   * of each of its objects (the colon is JSON's member separator and nothing
   * else), so parse-json.ts need not count them again to find repeated names.
   */
  readonly members: number;
}

export interface ScreenOptions {
  readonly limits: CutLimits;
}

/** Bytes in (push), records' bytes out, for a text already checked by pass 1. */
export class JsonRecordCutter {
  private readonly window = new ByteWindow<WindowChunk>(false);
  private end = 0;
  private first = true;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** At depth 1, the next string is a member name. */
  private expectKey = false;
  /** Offset of the opening quote of the member name being read. */
  private keyStart: number | undefined;
  /** The member name whose value comes next. */
  private key: string | undefined;
  private opensRecords = false;
  private inRecords = false;
  private seenRecords = false;
  private recordStart: number | undefined;
  /** Colons outside strings since the current record began. */
  private members = 0;
  private found: CutRecord[] = [];
  /** Offset of the quote opening the string being read. */
  private stringStart = 0;
  /** Screening: the limits, and the frame's bytes not yet taken. */
  private readonly maxDepth: number;
  private readonly maxTextChars: number;
  private readonly maxRecordBytes: number;
  private frameParts: Buffer[] | undefined;
  /** Offset of the first frame byte not yet in frameParts. */
  private frameFrom = 0;
  /** Whether the frame's last part is a record's placeholder (so `, record` may fold into it). */
  private afterRecord = false;
  private doubtText: string | undefined;

  constructor(private readonly recordsMember: string, screen?: ScreenOptions) {
    this.maxDepth = screen?.limits.maxDepth ?? Infinity;
    // A string's UTF-16 length is at most its bytes as sent (escapes and multi-byte characters only shrink).
    this.maxTextChars = screen?.limits.maxTextChars ?? Infinity;
    // A character is at most three bytes (four for two UTF-16 units).
    this.maxRecordBytes = screen === undefined ? Infinity : 3 * screen.limits.maxRecordChars;
    if (screen !== undefined) this.frameParts = [];
  }

  /** Why this walk cannot vouch for the text (a shape limit passed, by its bytes), or undefined. */
  get doubt(): string | undefined {
    return this.doubtText;
  }

  /** The frame's bytes since the last call: the text so far without its records, each standing as `0` (a run of records as one). */
  takeFrame(): Buffer {
    const parts = this.frameParts;
    if (parts === undefined) return Buffer.alloc(0);
    this.frameParts = [];
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  /** The records `input` completes. */
  push(input: Buffer): CutRecord[] {
    const bytes = afterBom(input, this.first);
    if (input.length > 0) this.first = false;
    if (bytes.length === 0) return [];
    const start = this.end;
    this.window.push({ start, bytes });
    this.end += bytes.length;
    this.scan(bytes, start);
    let keepFrom = Math.min(this.recordStart ?? this.end, this.keyStart ?? this.end);
    if (this.frameParts !== undefined) keepFrom = Math.min(keepFrom, this.frameUpToEnd());
    if (this.recordStart !== undefined && this.end - this.recordStart > this.maxRecordBytes) this.doubtText ??= 'a record longer than the limit';
    this.window.forget(keepFrom);
    const out = this.found;
    this.found = [];
    return out;
  }

  private scan(bytes: Buffer, start: number): void {
    const n = bytes.length;
    for (let i = 0; i < n; i++) {
      const b = bytes[i] as number;
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
        } else if (b === BACKSLASH) {
          this.escaped = true;
        } else if (b === QUOTE) {
          this.inString = false;
          if (start + i - this.stringStart - 1 > this.maxTextChars) this.doubtText ??= 'a string longer than the limit';
          if (this.keyStart !== undefined) {
            this.key = JSON.parse(this.window.slice(this.keyStart, start + i + 1).toString('utf8')) as string;
            this.keyStart = undefined;
          }
        } else {
          // Most bytes of a record are inside strings: skip to the next quote or backslash
          // in one tight loop (its strings are short: a Buffer.indexOf call for the quote
          // first, then this loop up to it, cost more than the loop alone).
          let j = i + 1;
          while (j < n) {
            const c = bytes[j];
            if (c === QUOTE || c === BACKSLASH) break;
            j++;
          }
          i = j - 1;
        }
        continue;
      }
      if (isSpace(b)) continue;
      if (b === COLON) {
        this.members++;
        continue;
      }
      const at = start + i;
      if (b === COMMA) {
        if (this.depth === 1) this.expectKey = true;
        else if (this.depth === 2 && this.inRecords) this.cut(at);
        continue;
      }
      if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (this.depth === 2 && this.inRecords) {
          this.cut(at);
          this.inRecords = false;
        }
        this.depth--;
        continue;
      }
      if (b === QUOTE && this.depth === 1 && this.expectKey) {
        this.expectKey = false;
        this.keyStart = at;
        this.stringStart = at;
        this.inString = true;
        continue;
      }
      this.value(b, at);
      if (b === QUOTE) {
        this.stringStart = at;
        this.inString = true;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        this.depth++;
        if (this.depth > this.maxDepth) this.doubtText ??= 'nesting deeper than the limit';
        if (this.depth === 1) this.expectKey = true;
        if (this.opensRecords) {
          this.opensRecords = false;
          this.inRecords = true;
        }
      }
    }
  }

  /** The first byte of a value (or any byte of a number or literal): a member's value, or a record's start. */
  private value(b: number, at: number): void {
    if (this.depth === 1 && this.key !== undefined) {
      if (this.key === this.recordsMember && b === OPEN_BRACKET && !this.seenRecords) {
        this.seenRecords = true;
        this.opensRecords = true;
      }
      this.key = undefined;
    } else if (this.depth === 2 && this.inRecords && this.recordStart === undefined) {
      this.recordStart = at;
      this.members = 0;
      if (this.frameParts !== undefined) this.frameRecord(at);
    }
  }

  private cut(to: number): void {
    if (this.recordStart === undefined) return;
    this.found.push({ bytes: this.window.slice(this.recordStart, to), members: this.members });
    this.recordStart = undefined;
    if (this.frameParts !== undefined) {
      this.frameFrom = to;
      this.afterRecord = true;
    }
  }

  /** A record begins at `at`: the frame up to it, then its placeholder, unless it folds into the last. */
  private frameRecord(at: number): void {
    const between = this.window.slice(this.frameFrom, at);
    if (!(this.afterRecord && oneComma(between))) this.frameParts?.push(between, PLACEHOLDER);
    this.frameFrom = at;
  }

  /** At the end of a push: the frame bytes outside any record go out, but a few after a record wait for the next one to fold. Returns the first byte still needed. */
  private frameUpToEnd(): number {
    if (this.recordStart !== undefined) return this.frameFrom;
    if (this.afterRecord && this.end - this.frameFrom <= MAX_HELD_BETWEEN) return this.frameFrom;
    this.frameParts?.push(this.window.slice(this.frameFrom, this.end));
    this.frameFrom = this.end;
    this.afterRecord = false;
    return this.end;
  }

  /** The frame's last bytes, held back for a record that did not come. */
  finishFrame(): void {
    this.afterRecord = false;
    if (this.frameParts !== undefined && this.frameFrom < this.end) {
      this.frameParts.push(this.window.slice(this.frameFrom, this.end));
      this.frameFrom = this.end;
    }
  }

}

/** Pass 2: yields the records each chunk of `input` completes (the text was checked by pass 1). */
export async function* cutCheckedJsonBatch(input: AsyncIterable<Buffer>, recordsMember: string): AsyncGenerator<CutRecord[]> {
  const cutter = new JsonRecordCutter(recordsMember);
  for await (const chunk of input) yield cutter.push(chunk);
}
