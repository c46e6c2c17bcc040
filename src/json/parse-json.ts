// The one way an /api body becomes a value: UTF-8 (a BOM tolerated), one
// JSON text, parsed by V8's own JSON.parse (native, the fast path). What
// JSON.parse cannot tell is found here too: a member name repeated in one
// object (JSON.parse silently keeps the last) is listed with its JSON
// Pointer, for the pipeline to refuse after its stages (it is valid JSON
// syntax, so VALIDATION_FAILED, not MALFORMED_JSON). Where exactly a syntax
// error or a repeated member is, V8 does not say in every message: the slow
// paths read the tokens of jsonc-parser's scanner (VS Code's JSON scanner:
// offsets of every token, no dependencies), only when something is wrong,
// in loops with stacks of their own: nothing here recurses, so no nesting
// depth can overflow the call stack before the shape limits refuse it.
import jsonc from 'jsonc-parser';
import { MalformedJsonError } from '../errors.js';
import { placesIn, pointerOf, positionOf, type JsonPlace } from './json-pointer.js';

export interface JsonDocument {
  /** The value as JSON.parse gives it (for a repeated member, its last occurrence). */
  readonly value: unknown;
  /** The text as decoded: where a place is, when an error needs its line and column. */
  readonly text: string;
  /** Every member whose name its object had already, at the repeated occurrence. */
  readonly duplicates: readonly JsonPlace[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Parses a whole body; MALFORMED_JSON with line and column when it is not one
 * JSON text in UTF-8. `members`: the text's colons outside strings, when the
 * caller's own walk over the bytes counted them (a batch record's cutter
 * does), so the text is not walked again for them.
 */
export function parseJson(bytes: Uint8Array, members?: number): JsonDocument {
  const text = decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw malformed(text, err.message);
  }
  // Colons outside strings are member separators and nothing else: as many
  // as the parsed objects hold members, unless a name was repeated.
  const duplicates = (members ?? membersIn(text)) === membersOf(value) ? [] : repeatedMembers(text);
  return { value, text, duplicates };
}

function decode(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const lossy = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    const at = positionOf(lossy, Math.max(0, lossy.indexOf('\uFFFD')));
    throw new MalformedJsonError(`The body is not JSON: it is not UTF-8 (line ${at.line}, column ${at.column})`, [
      { ...at, message: 'a byte sequence that is not UTF-8' },
    ]);
  }
}

const ERROR_TEXT: Readonly<Record<number, string>> = {
  1: 'invalid symbol', 2: 'invalid number format', 3: 'a member name was expected', 4: 'a value was expected',
  5: 'a colon was expected', 6: 'a comma was expected', 7: 'a closing brace was expected', 8: 'a closing bracket was expected',
  9: 'the end of the text was expected', 10: 'a comment is not JSON', 11: 'unexpected end of comment',
  12: 'unexpected end of string', 13: 'unexpected end of number', 14: 'invalid Unicode escape', 15: 'invalid escape character',
  16: 'invalid character in a string',
};

/** jsonc-parser's ScanError (a token's own error) as the parse error it reports (ERROR_TEXT's keys). */
const SCAN_ERROR: Readonly<Record<number, number>> = { 1: 11, 2: 12, 3: 13, 4: 14, 5: 15, 6: 16 };

const enum Token {
  OpenBrace = 1, CloseBrace = 2, OpenBracket = 3, CloseBracket = 4, Comma = 5, Colon = 6,
  Null = 7, True = 8, False = 9, String = 10, Number = 11, LineComment = 12, BlockComment = 13, LineBreak = 14, Trivia = 15, Unknown = 16, EOF = 17,
}

/** The tokens of `text` that are not white space, each with its offset and the error of its own characters (0: none). */
function* tokens(text: string): Generator<{ kind: Token; offset: number; error: number; value: string }> {
  const scanner = jsonc.createScanner(text, false);
  for (;;) {
    const kind = scanner.scan() as number as Token;
    if (kind === Token.LineBreak || kind === Token.Trivia) continue;
    yield { kind, offset: scanner.getTokenOffset(), error: scanner.getTokenError() as number, value: scanner.getTokenValue() };
    if (kind === Token.EOF) return;
  }
}

/**
 * The first syntax error of `text` (ERROR_TEXT's code) and its offset, the
 * one jsonc-parser's parser reports, found by a loop over the scanner's
 * tokens with a stack of its own: the parser recurses once per level of
 * nesting, and a body nested some thousands deep overflowed the call stack
 * (RangeError, answered INTERNAL) before any limit could refuse it.
 */
function firstError(text: string): { code: number; offset: number } | undefined {
  /** Open objects ('{') and arrays ('['); what the next token may be. */
  const open: ('{' | '[')[] = [];
  let expect: 'value' | 'name' | 'colon' | 'after' | 'end' = 'value';
  /** Whether a ',' was just read (then a closing token is no longer allowed). */
  let afterComma = false;
  for (const t of tokens(text)) {
    if (t.error !== 0) return { code: SCAN_ERROR[t.error] ?? 1, offset: t.offset };
    if (t.kind === Token.LineComment || t.kind === Token.BlockComment) return { code: 10, offset: t.offset };
    if (t.kind === Token.Unknown) return { code: 1, offset: t.offset };
    const top = open[open.length - 1];
    switch (expect) {
      case 'end':
        return t.kind === Token.EOF ? undefined : { code: 9, offset: t.offset };
      case 'value':
        if (t.kind === Token.OpenBrace) { open.push('{'); expect = 'name'; afterComma = false; continue; }
        if (t.kind === Token.OpenBracket) { open.push('['); expect = 'value'; afterComma = false; continue; }
        if (t.kind === Token.CloseBracket && top === '[' && !afterComma) { open.pop(); expect = open.length === 0 ? 'end' : 'after'; continue; }
        if (t.kind >= Token.Null && t.kind <= Token.Number) { expect = open.length === 0 ? 'end' : 'after'; continue; }
        if (t.kind === Token.EOF && top === '[' && !afterComma) return { code: 8, offset: t.offset };
        return { code: 4, offset: t.offset };
      case 'name':
        if (t.kind === Token.String) { expect = 'colon'; continue; }
        if (t.kind === Token.CloseBrace && !afterComma) { open.pop(); expect = open.length === 0 ? 'end' : 'after'; continue; }
        if (!afterComma && t.kind === Token.EOF) return { code: 7, offset: t.offset };
        if (!afterComma && t.kind === Token.Comma) return { code: 4, offset: t.offset };
        return { code: 3, offset: t.offset };
      case 'colon':
        if (t.kind === Token.Colon) { expect = 'value'; afterComma = false; continue; }
        return { code: 5, offset: t.offset };
      case 'after':
        if (t.kind === Token.Comma) { expect = top === '{' ? 'name' : 'value'; afterComma = true; continue; }
        if (t.kind === (top === '{' ? Token.CloseBrace : Token.CloseBracket)) { open.pop(); expect = open.length === 0 ? 'end' : 'after'; continue; }
        if (t.kind === Token.EOF) return { code: top === '{' ? 7 : 8, offset: t.offset };
        return { code: 6, offset: t.offset };
    }
  }
  return undefined;
}

/** MALFORMED_JSON at the first error firstError finds; V8's position when it finds none (they agree on JSON, this is a safety net). */
function malformed(text: string, v8Message: string): MalformedJsonError {
  let first: { line: number; column: number; message: string } | undefined;
  if (text.trim() === '') first = { ...positionOf(text, text.length), message: 'the body is empty' };
  const error = first === undefined ? firstError(text) : undefined;
  if (error !== undefined) first = { ...positionOf(text, error.offset), message: ERROR_TEXT[error.code] ?? `error ${error.code}` };
  if (first === undefined) {
    const at = /at position (\d+)/.exec(v8Message);
    first = { ...positionOf(text, at === null ? 0 : Number(at[1])), message: v8Message };
  }
  return new MalformedJsonError(`The body is not JSON: ${first.message} at line ${first.line}, column ${first.column}`, [first]);
}

/** Colons outside strings. */
function membersIn(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) n++;
    else if (c === 0x22) {
      // Skip the string: to the next quote not escaped by an odd run of backslashes.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    }
  }
  return n;
}

/** Members of every object in `value`, counted without recursion (depth is not limited yet here). */
function membersOf(value: unknown): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else {
      for (const key in v) {
        n++;
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return n;
}

/**
 * Where each repeated member name is: the slow path, taken only when the
 * counts disagree, over the tokens of a text JSON.parse took (so well formed),
 * with a stack of its own (no recursion, whatever the depth).
 */
function repeatedMembers(text: string): JsonPlace[] {
  const found: JsonPlace[] = [];
  const placeOf = placesIn(text);
  /** Each open object's names and current member, each open array's current index. */
  const open: { names: Set<string> | undefined; key: string | number }[] = [];
  let expectName = false;
  for (const t of tokens(text)) {
    const top = open[open.length - 1];
    switch (t.kind) {
      case Token.OpenBrace: open.push({ names: new Set(), key: '' }); expectName = true; break;
      case Token.OpenBracket: open.push({ names: undefined, key: 0 }); expectName = false; break;
      case Token.CloseBrace: case Token.CloseBracket: open.pop(); expectName = false; break;
      case Token.Comma:
        if (top?.names !== undefined) expectName = true;
        else if (top !== undefined) top.key = (top.key as number) + 1;
        break;
      case Token.String:
        if (expectName && top?.names !== undefined) {
          top.key = t.value;
          if (top.names.has(t.value)) found.push({ path: pointerOf(open.map((o) => o.key)), ...placeOf(t.offset) });
          top.names.add(t.value);
        }
        expectName = false;
        break;
      default: expectName = false;
    }
  }
  return found;
}
