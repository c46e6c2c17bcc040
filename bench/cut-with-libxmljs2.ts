// The record scanner's job done with libxml2's own streaming (push) parser,
// through the binding the project already has: libxmljs2's SaxPushParser
// (native libxml2, xmlCreatePushParserCtxt + xmlParseChunk). libxml2-wasm,
// the binding that parses and validates records, exports neither a reader
// (xmlTextReader) nor a push parser, only whole-document parsing.
// The binding reports no positions (no document locator, error messages
// without line or column) and no processing instructions, so a record's text
// is rebuilt from the events (namespace declarations, attributes, text
// escaped again) and its line and column are unknown.
import libxml from 'libxmljs2';
import { decodedPieces, type CutEvents, type RecordCutter } from './cut-records.js';

/** What the binding's SaxPushParser is at run time (its index.d.ts omits push's `terminate`). */
interface PushParser {
  push(source: string, terminate?: boolean): boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

type Attribute = [local: string, prefix: string, uri: string, value: string];
type Declaration = [prefix: string | null, uri: string];

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function qname(local: string, prefix: string | null): string {
  return prefix === null || prefix === '' ? local : `${prefix}:${local}`;
}

function startTag(local: string, attributes: Attribute[], prefix: string | null, declarations: Declaration[]): string {
  let tag = `<${qname(local, prefix)}`;
  for (const [p, uri] of declarations) tag += ` ${p === null ? 'xmlns' : `xmlns:${p}`}="${escapeAttr(uri)}"`;
  for (const [name, p, , value] of attributes) tag += ` ${qname(name, p)}="${escapeAttr(value)}"`;
  return `${tag}>`;
}

export const libxmljs2Cutter: RecordCutter = {
  name: 'libxmljs2 SaxPushParser',
  async cut(input, events: CutEvents) {
    const parser = new libxml.SaxPushParser() as unknown as PushParser;
    let depth = 0;
    let text = '';
    let index = 0;
    const fail = (message: string): void => events.error({ message, line: undefined, column: undefined });
    parser.on('error', (message: string) => fail(message.trim()));
    parser.on('startElementNS', (local: string, attributes: Attribute[], prefix: string | null, _uri: string | null, declarations: Declaration[]) => {
      depth += 1;
      if (depth === 1) events.root({ text: startTag(local, attributes, prefix, declarations), line: undefined, column: undefined });
      else text += startTag(local, attributes, prefix, declarations);
    });
    parser.on('endElementNS', (local: string, prefix: string | null) => {
      if (depth >= 2) text += `</${qname(local, prefix)}>`;
      depth -= 1;
      if (depth === 1) {
        index += 1;
        events.record({ index, text, line: undefined, column: undefined });
        text = '';
      }
    });
    parser.on('characters', (chars: string) => {
      if (depth >= 2) text += escapeText(chars);
      else if (depth === 1 && !/^[ \t\r\n]*$/.test(chars)) fail('text between the records');
    });
    parser.on('cdata', (chars: string) => {
      if (depth >= 2) text += `<![CDATA[${chars}]]>`;
      else if (depth === 1) fail('CDATA between the records');
    });
    parser.on('comment', (comment: string) => {
      if (depth >= 2) text += `<!--${comment}-->`;
    });
    for await (const piece of decodedPieces(input)) parser.push(piece);
    parser.push('', true);
  },
};
