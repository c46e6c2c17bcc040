// The one way an /api body becomes a value: UTF-8 (a BOM tolerated), one
// JSON text, parsed by V8's own JSON.parse (native, the fast path). What
// JSON.parse cannot tell is found here too: a member name repeated in one
// object (JSON.parse silently keeps the last) is listed with its JSON
// Pointer, for the pipeline to refuse after its stages (it is valid JSON
// syntax, so VALIDATION_FAILED, not MALFORMED_JSON). Where exactly a syntax
// error or a repeated member is, V8 does not say in every message: the slow
// paths ask jsonc-parser (VS Code's JSON scanner: offsets, lines and columns
// of every token, no dependencies), only when something is wrong.
import jsonc from 'jsonc-parser';
import { MalformedJsonError } from '../errors.js';
import { pointerOf, positionOf, type JsonPlace } from './json-pointer.js';

export interface JsonDocument {
  /** The value as JSON.parse gives it (for a repeated member, its last occurrence). */
  readonly value: unknown;
  /** The text as decoded: where a place is, when an error needs its line and column. */
  readonly text: string;
  /** Every member whose name its object had already, at the repeated occurrence. */
  readonly duplicates: readonly JsonPlace[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Parses a whole body; MALFORMED_JSON with line and column when it is not one JSON text in UTF-8. */
export function parseJson(bytes: Uint8Array): JsonDocument {
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
  const duplicates = membersIn(text) === membersOf(value) ? [] : repeatedMembers(text);
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

/** MALFORMED_JSON at the first error jsonc-parser finds; V8's position when it finds none (they agree on JSON, this is a safety net). */
function malformed(text: string, v8Message: string): MalformedJsonError {
  let first: { line: number; column: number; message: string } | undefined;
  if (text.trim() === '') first = { ...positionOf(text, text.length), message: 'the body is empty' };
  jsonc.visit(text, {
    onError: (error, offset) => {
      first ??= { ...positionOf(text, offset), message: ERROR_TEXT[error] ?? `error ${error}` };
    },
  }, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
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

/** Where each repeated member name is: the slow path, taken only when the counts disagree. */
function repeatedMembers(text: string): JsonPlace[] {
  const found: JsonPlace[] = [];
  const seen: Set<string>[] = [];
  jsonc.visit(text, {
    onObjectBegin: () => { seen.push(new Set()); },
    onObjectEnd: () => { seen.pop(); },
    onObjectProperty: (name, offset, _length, _line, _column, pathSupplier) => {
      const names = seen[seen.length - 1];
      if (names === undefined) return;
      if (names.has(name)) found.push({ path: pointerOf([...pathSupplier(), name]), ...positionOf(text, offset) });
      names.add(name);
    },
  });
  return found;
}
