// The record scanner's job done with saxes, a well-kept streaming XML parser
// (pure JavaScript, strings in, every well-formedness and namespace rule
// checked): the root's start tag and each record (a child of the root) cut
// out of the decoded text by the stream offsets saxes reports, with the line
// and column saxes counts. What the scanner refuses besides well-formedness
// (text between records, a declared encoding other than UTF-8) is added here
// so that both do the same job; like the scanner, it stops at the first fault.
import { SaxesParser } from 'saxes';
import { decodedPieces, type CutEvents, type RecordCutter } from './cut-records.js';

/** Thrown from saxes' handlers to stop at the first fault, as the scanner does (saxes would go on). */
class Stop extends Error {}

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n += 1;
  }
  return n;
}

export const saxesCutter: RecordCutter = {
  name: 'saxes',
  async cut(input, events: CutEvents) {
    const parser = new SaxesParser({ xmlns: true, position: true });
    // buf holds the input from stream offset `base`: at least from the start of the tag or record being cut.
    let buf = '';
    let base = 0;
    let depth = 0;
    let start = -1;
    let startLine: number | undefined;
    let startColumn: number | undefined;
    let index = 0;
    const fail = (message: string): never => {
      events.error({ message, line: parser.line, column: parser.column });
      throw new Stop(message);
    };
    parser.on('error', (err) => fail(err.message.replace(/^\d+:\d+: /, '')));
    parser.on('xmldecl', (decl) => {
      if (decl.encoding !== undefined && !/^utf-?8$/i.test(decl.encoding)) fail(`the wrapper refuses encoding ${decl.encoding}: saxes reads strings only`);
    });
    parser.on('doctype', () => fail('the wrapper refuses a DOCTYPE, as the service does'));
    parser.on('opentagstart', () => {
      if (depth > 1) return;
      const pos = parser.position;
      const lt = buf.lastIndexOf('<', pos - base - 1);
      const tag = buf.slice(lt, pos - base); // '<', the name, and the character after it
      start = base + lt;
      if (/[\r\n]$/.test(tag)) {
        // the name ended at a line end: saxes has moved on to the next line
        const lineStart = Math.max(buf.lastIndexOf('\n', lt - 1), buf.lastIndexOf('\r', lt - 1));
        startLine = parser.line - 1;
        startColumn = lineStart < 0 ? undefined : codePoints(buf.slice(lineStart + 1, lt)) + 1;
      } else {
        startLine = parser.line;
        startColumn = parser.column - codePoints(tag) + 1;
      }
    });
    parser.on('opentag', () => {
      depth += 1;
      if (depth === 1) {
        events.root({ text: buf.slice(start - base, parser.position - base), line: startLine, column: startColumn });
        start = -1;
      }
    });
    parser.on('closetag', () => {
      depth -= 1;
      if (depth === 1) {
        index += 1;
        events.record({ index, text: buf.slice(start - base, parser.position - base), line: startLine, column: startColumn });
        start = -1;
      }
    });
    parser.on('text', (text) => {
      if (depth === 1 && !/^[ \t\r\n]*$/.test(text)) fail('text between the records');
    });
    parser.on('cdata', () => {
      if (depth === 1) fail('CDATA between the records');
    });
    try {
      for await (const piece of decodedPieces(input)) {
        buf += piece;
        parser.write(piece);
        // keep the last '<' too: saxes tells of a start tag only once its name has ended, maybe in the next piece
        const lt = buf.lastIndexOf('<', parser.position - base - 1);
        const keep = start >= 0 ? start : lt >= 0 ? base + lt : parser.position;
        buf = buf.slice(keep - base);
        base = keep;
      }
      parser.close();
    } catch (err) {
      if (!(err instanceof Stop)) throw err;
    }
  },
};
