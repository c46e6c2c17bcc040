// A large text file written piece by piece with backpressure, so that a
// million generated records never sit in memory, counting the bytes it writes.
import fs from 'node:fs';
import { once } from 'node:events';

export interface TextFileWriter {
  write(text: string): Promise<void>;
  /** Writes `tail`, closes the file; the file's size in bytes. */
  end(tail: string): Promise<number>;
}

export function textFileWriter(file: string): TextFileWriter {
  const out = fs.createWriteStream(file);
  const closed = once(out, 'close');
  let bytes = 0;
  return {
    async write(text) {
      bytes += Buffer.byteLength(text);
      if (!out.write(text)) await once(out, 'drain');
    },
    async end(tail) {
      out.end(tail);
      await closed;
      return bytes + Buffer.byteLength(tail);
    },
  };
}
