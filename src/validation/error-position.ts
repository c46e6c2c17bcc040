// libxml2 reports the line of a schema error but no column (it keeps none per
// node). Integrators want both, so the column is recovered from the source line:
// the start tag of the element the message names, picking the one whose text is
// the rejected value when the same element appears several times on that line.

const ELEMENT_IN_MESSAGE = /^Element '(?:\{[^}]*\})?([^']+)'/;
const VALUE_IN_MESSAGE = /The value '([^']*)'/;

/** 1-based column of the offending start tag on `line`, or 1 when it cannot be told. */
export function columnOfError(lines: readonly string[], line: number, message: string): number {
  const text = lines[line - 1];
  const local = ELEMENT_IN_MESSAGE.exec(message)?.[1];
  if (text === undefined || local === undefined) return 1;
  const tag = new RegExp(`<(?:[\\w.-]+:)?${escapeRegExp(local)}(?=[\\s/>])`, 'g');
  const starts: number[] = [];
  for (let m = tag.exec(text); m !== null; m = tag.exec(text)) starts.push(m.index);
  if (starts.length === 0) return 1;
  const value = VALUE_IN_MESSAGE.exec(message)?.[1];
  if (value !== undefined && starts.length > 1) {
    const withValue = starts.find((s) => {
      const close = text.indexOf('>', s);
      return close >= 0 && text.startsWith(`${value}<`, close + 1);
    });
    if (withValue !== undefined) return withValue + 1;
  }
  return (starts[0] ?? 0) + 1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
