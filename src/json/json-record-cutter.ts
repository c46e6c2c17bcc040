// Pass 2 of a JSON batch: the records' bytes cut out of a text that pass 1
// (json-batch-cutter.ts, with limits) has already found to be JSON, UTF-8 and
// within the limits. Pass 2 needs only where each element of the records'
// array begins and ends, so instead of tokenizing (which decodes every
// string and number of every record into a JS value, then throws it away) it
// walks the bytes once, tracking strings, escapes and nesting. A cpu-prof
// of a 100k import had the tokenizer's string building and writes as the
// largest JS cost after the store, over both passes. Records come out byte
// for byte as the tokenizing cutter cuts them: from the element's first byte
// to the comma or bracket after it.
import { ByteWindow, type WindowChunk } from './byte-window.js';

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
  private found: Buffer[] = [];

  constructor(private readonly recordsMember: string) {}

  /** The records `input` completes, each the bytes of one array element as sent. */
  push(input: Buffer): Buffer[] {
    let bytes = input;
    if (this.first && bytes.length > 0) {
      this.first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    if (bytes.length === 0) return [];
    const start = this.end;
    this.window.push({ start, bytes });
    this.end += bytes.length;
    this.scan(bytes, start);
    this.window.forget(Math.min(this.recordStart ?? this.end, this.keyStart ?? this.end));
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
          if (this.keyStart !== undefined) {
            this.key = JSON.parse(this.window.slice(this.keyStart, start + i + 1).toString('utf8')) as string;
            this.keyStart = undefined;
          }
        } else {
          // Most bytes of a record are inside strings: skip to the next quote or backslash.
          const q = bytes.indexOf(QUOTE, i + 1);
          const stop = q === -1 ? n : q;
          let j = i + 1;
          while (j < stop && bytes[j] !== BACKSLASH) j++;
          i = j - 1;
        }
        continue;
      }
      if (isSpace(b) || b === COLON) continue;
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
        this.inString = true;
        continue;
      }
      this.value(b, at);
      if (b === QUOTE) {
        this.inString = true;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        this.depth++;
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
    }
  }

  private cut(to: number): void {
    if (this.recordStart !== undefined) this.found.push(this.window.slice(this.recordStart, to));
    this.recordStart = undefined;
  }


}

/** Pass 2: yields the records each chunk of `input` completes (the text was checked by pass 1). */
export async function* cutCheckedJsonBatch(input: AsyncIterable<Buffer>, recordsMember: string): AsyncGenerator<Buffer[]> {
  const cutter = new JsonRecordCutter(recordsMember);
  for await (const chunk of input) yield cutter.push(chunk);
}
