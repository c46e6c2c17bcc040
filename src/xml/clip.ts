// What a message quotes of the input is cut to a size a report can carry: a
// name, a value or a libxml2 message can be as long as a line, and a line of
// a one-line batch file is the whole file.

/** `text` up to `max` characters, with '...' when it was cut. */
export function clip(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}
