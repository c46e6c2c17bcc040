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
  return placesIn(text)(offset);
}

/**
 * Line and column of any offset in `text`, the line starts found once (at the
 * first question) and searched: an error list of thousands of places costs a
 * scan of the text, not one scan per place.
 */
export function placesIn(text: string): (offset: number) => { line: number; column: number } {
  let starts: number[] | undefined;
  return (offset) => {
    if (starts === undefined) {
      starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
  };
}
