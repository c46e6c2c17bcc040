// A piece of a streamed document (a record, the root's start tag) parsed on
// its own keeps the positions it had in the whole document: it is put on line
// 2 of a small wrapper, after as many spaces as its column, so libxml2's
// columns are the document's and lines are off by a known amount.

/** `<s ...namespaces>\n` + padding + text + `\n</s>` */
export function snippetAt(namespaces: string, text: string, column: number): Buffer {
  return Buffer.from(`<s ${namespaces}>\n${' '.repeat(Math.max(0, column - 1))}${text}\n</s>`, 'utf8');
}

/** An error at (line, column) of a snippet, moved to the document: snippet line 2 is `startLine`. */
export function atPosition<T extends { line: number; column: number }>(error: T, startLine: number): T {
  return { ...error, line: startLine + Math.max(0, error.line - 2) };
}
