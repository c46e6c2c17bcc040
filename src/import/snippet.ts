// A piece of a streamed document (a record, the root's start tag) parsed on
// its own, and the errors libxml2 finds in it moved back to where they are in
// the whole document. The piece starts line 2 of a small wrapper, at column 1:
// an error on that line is shifted by the column the piece starts at in the
// document, an error on a later line only by the lines before the piece. No
// padding: a record near the end of a one-line file starts at a column in the
// hundreds of millions, and padding it to that column made every record cost
// in proportion to its place (a 5,000-customer export took 68 s and 2.9 GB).

/** Where a piece starts in the document (1-based). */
export interface PieceStart {
  readonly line: number;
  readonly column: number;
}

/** A piece of the document: its text, and the lines it starts and ends on. */
export interface Piece {
  readonly text: string;
  readonly line: number;
  readonly endLine: number;
}

/** `<s ...namespaces>\n` + text + `\n</s>` */
export function snippetAt(namespaces: string, text: string): Buffer {
  let newlines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines += 1;
  return snippetOfAll(namespaces, [{ text, line: 1, endLine: 1 + newlines }]).snippet;
}

/**
 * Several pieces in one wrapper, each starting a line of its own, and the
 * snippet line each starts on: libxml2 parses them as one document (see
 * record-reader.ts). The lines a piece spans come from where the scanner
 * found it, which counted them already.
 */
export function snippetOfAll(namespaces: string, pieces: readonly Piece[]): { snippet: Buffer; startLines: number[] } {
  const startLines: number[] = [];
  const texts: string[] = [];
  let line = 2;
  for (const piece of pieces) {
    startLines.push(line);
    texts.push(piece.text);
    line += piece.endLine - piece.line + 1;
  }
  return { snippet: Buffer.from(`<s ${namespaces}>\n${texts.join('\n')}\n</s>`, 'utf8'), startLines };
}

/**
 * An error at (line, column) of a piece parsed alone (the piece on snippet
 * line 2), moved to the document, where the piece starts at `start`.
 */
export function atPosition<T extends { line: number; column: number }>(error: T, start: PieceStart): T {
  const onFirstLine = error.line <= 2;
  return {
    ...error,
    line: start.line + Math.max(0, error.line - 2),
    column: onFirstLine ? start.column - 1 + Math.max(1, error.column) : error.column,
  };
}
