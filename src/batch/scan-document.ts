// A streamed batch document through the record scanner: bytes in, the
// records each input chunk completes out. The one decode-and-scan loop of
// both passes of an import (pass 1 checks structure, pass 2 reads records).
import { StringDecoder } from 'node:string_decoder';
import { RecordScanner, type RawRecord, type RootTag } from '../xml/record-scanner.js';

/** Yields once per input chunk ([] when it completes no record); `onRoot` hears the root's start tag. */
export async function* scanDocument(input: AsyncIterable<Buffer>, onRoot: (tag: RootTag) => void = () => undefined): AsyncGenerator<RawRecord[]> {
  const decoder = new StringDecoder('utf8');
  let found: RawRecord[] = [];
  const scanner = new RecordScanner({ root: onRoot, record: (r) => found.push(r) });
  for await (const chunk of input) {
    scanner.push(decoder.write(chunk));
    const complete = found;
    found = [];
    yield complete;
  }
  scanner.push(decoder.end());
  scanner.end();
  if (found.length > 0) yield found;
}
