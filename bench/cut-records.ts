// The job the record scanner does, stated once so that it and the streaming
// parsers it is measured against (bench/cut-with-saxes.ts,
// bench/cut-with-libxmljs2.ts) can each be run over the same bytes: cut a
// streamed CustomerBatch into its root start tag and each record's text, with
// the line and column where each starts, or say where the document breaks.
import { StringDecoder } from 'node:string_decoder';
import { BridgeError, MalformedXmlError, ValidationFailedError } from '../src/errors.js';
import { PIECE_BYTES, scanDocument } from '../src/import/scan-document.js';

export interface CutRoot {
  /** The root's start tag as sent, or as rebuilt from parser events when the parser gives no offsets. */
  readonly text: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
}

export interface CutRecord {
  readonly index: number;
  readonly text: string;
  /** Undefined when the parser cannot tell where the record starts. */
  readonly line: number | undefined;
  readonly column: number | undefined;
}

export interface CutError {
  readonly message: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
}

export interface CutEvents {
  root(root: CutRoot): void;
  record(record: CutRecord): void;
  /** A fault in the document; a parser that recovers may go on and report more. */
  error(error: CutError): void;
}

export interface RecordCutter {
  readonly name: string;
  /** Reads `input` to its end (or until the parser gives up), telling `events` what it finds. */
  cut(input: AsyncIterable<Buffer>, events: CutEvents): Promise<void>;
}

/**
 * The bytes as every competitor receives them: decoded as UTF-8 in pieces of
 * PIECE_BYTES, as scanDocument() does (saxes takes only strings, and
 * libxmljs2's push parser only strings, which it re-encodes as UTF-8).
 */
export async function* decodedPieces(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input) {
    for (let at = 0; at < chunk.length; at += PIECE_BYTES) yield decoder.write(chunk.subarray(at, at + PIECE_BYTES));
  }
  yield decoder.end();
}

/** Ours: src/batch/scan-document.ts (decode + src/xml/record-scanner.ts), as both passes of an import run it. */
export const scannerCutter: RecordCutter = {
  name: 'record-scanner',
  async cut(input, events) {
    try {
      for await (const found of scanDocument(input, (tag) => events.root({ text: tag.text, line: tag.line, column: tag.column }))) {
        for (const r of found) events.record({ index: r.index, text: r.text, line: r.line, column: r.column });
      }
    } catch (err) {
      if (!(err instanceof BridgeError)) throw err;
      const at = err instanceof MalformedXmlError || err instanceof ValidationFailedError ? err.errors[0] : undefined;
      events.error({ message: `${err.code}: ${at?.message ?? err.message}`, line: at?.line, column: at?.column });
    }
  },
};
