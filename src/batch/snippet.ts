// A piece of a streamed document (a record, the root's start tag) parsed on
// its own keeps the positions it had in the whole document: it is put on line
// 2 of a small wrapper, after as many spaces as its column, so libxml2's
// columns are the document's and lines are off by a known amount.

/** `<s ...namespaces>\n` + padding + text + `\n</s>` */
export function snippetAt(namespaces: string, text: string, column: number): Buffer {
  return snippetOfAll(namespaces, [{ text, column }]).snippet;
}

/**
 * Several pieces in one wrapper, each laid out as snippetAt() lays out one
 * (padded to its column, on lines of its own), and the snippet line each
 * starts on: libxml2 parses them as one document (see record-reader.ts).
 */
export function snippetOfAll(namespaces: string, pieces: readonly { text: string; column: number }[]): { snippet: Buffer; startLines: number[] } {
  const parts: string[] = [];
  const startLines: number[] = [];
  let line = 2;
  for (const piece of pieces) {
    startLines.push(line);
    parts.push(' '.repeat(Math.max(0, piece.column - 1)) + piece.text);
    for (let i = piece.text.indexOf('\n'); i >= 0; i = piece.text.indexOf('\n', i + 1)) line += 1;
    line += 1;
  }
  return { snippet: Buffer.from(`<s ${namespaces}>\n${parts.join('\n')}\n</s>`, 'utf8'), startLines };
}

/** An error at (line, column) of a snippet, moved to the document: snippet line 2 is `startLine`. */
export function atPosition<T extends { line: number; column: number }>(error: T, startLine: number): T {
  return { ...error, line: startLine + Math.max(0, error.line - 2) };
}
