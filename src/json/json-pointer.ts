// JSON Pointers (RFC 6901) and places in a JSON text: how an /api error
// points at what the client sent.

/** A place in a JSON body: its pointer, and its line and column (1-based) in the text. */
export interface JsonPlace {
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

/** The pointer of a path of member names and array indices. */
export function pointerOf(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += `/${typeof s === 'number' ? s : s.replaceAll('~', '~0').replaceAll('/', '~1')}`;
  return out;
}

/** A pointer's segments, unescaped (array indices stay strings). */
export function segmentsOf(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** Line and column (1-based; the column counts UTF-16 units, as editors and V8 do) of `offset` in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
