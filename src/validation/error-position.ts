// libxml2 reports the line of a schema error but no column (it keeps none per
// node). Integrators want both, so the column is recovered from the source line:
// the start tag of the element the message names, picking the one whose text is
// the rejected value when the same element appears several times on that line.

const ELEMENT_IN_MESSAGE = /^Element '(?:\{[^}]*\})?([^']+)'/;
const VALUE_IN_MESSAGE = /The value '([^']*)'/;

/**
 * Where each element name's start tags are on a line, found once for all the
 * errors of one message: a message with many errors on one long line (20,000
 * attributes an element does not allow, on a 200 kB line) was scanned once per
 * error, 3.7 s of the event loop; with this, 26 ms.
 */
export type TagStarts = Map<string, { readonly starts: readonly number[]; byValue?: Map<string, number> }>;

/** 1-based column of the offending start tag on `line`, or 1 when it cannot be told. Pass one `found` for all errors of a message. */
export function columnOfError(lines: readonly string[], line: number, message: string, found: TagStarts = new Map()): number {
  const text = lines[line - 1];
  const local = ELEMENT_IN_MESSAGE.exec(message)?.[1];
  if (text === undefined || local === undefined) return 1;
  const key = `${line} ${local}`;
  let entry = found.get(key);
  if (entry === undefined) {
    const tag = new RegExp(`<(?:[\\w.-]+:)?${escapeRegExp(local)}(?=[\\s/>])`, 'g');
    const starts: number[] = [];
    for (let m = tag.exec(text); m !== null; m = tag.exec(text)) starts.push(m.index);
    entry = { starts };
    found.set(key, entry);
  }
  const { starts } = entry;
  if (starts.length === 0) return 1;
  const value = VALUE_IN_MESSAGE.exec(message)?.[1];
  if (value !== undefined && starts.length > 1) {
    // The first occurrence whose text is the value: each occurrence's text read once, then looked up.
    if (entry.byValue === undefined) {
      entry.byValue = new Map();
      for (const s of starts) {
        const close = text.indexOf('>', s);
        if (close < 0) continue;
        const end = text.indexOf('<', close + 1);
        if (end < 0) continue;
        const content = text.slice(close + 1, end);
        if (!entry.byValue.has(content)) entry.byValue.set(content, s);
      }
    }
    const withValue = entry.byValue.get(value);
    if (withValue !== undefined) return withValue + 1;
  }
  return (starts[0] ?? 0) + 1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
