// A dropped file as a batch source: its first pass (the structure check) also
// takes its SHA-256, so the content hash costs no extra read, and each pass
// counts the bytes it has read, so the drop folder can say how far it is.
// Reads the file; knows nothing of batches or folders.
import { createHash } from 'node:crypto';
import { fileSource, type BatchSource } from '../import/batch-source.js';

export interface HashedFileSource {
  readonly source: BatchSource;
  /** The content hash (hex); ask after the first pass has read the whole file. */
  readonly sha256: () => string;
}

/** `reading.bytes` follows the current pass: back to 0 when a pass opens the file again. */
export function hashedFileSource(file: string, reading: { bytes: number }): HashedFileSource {
  const plain = fileSource(file);
  const hash = createHash('sha256');
  let passes = 0;
  let hex: string | undefined;
  async function* hashing(): AsyncGenerator<Buffer> {
    for await (const chunk of plain.open()) {
      hash.update(chunk);
      yield chunk;
    }
  }
  async function* counted(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    reading.bytes = 0;
    for await (const chunk of chunks) {
      reading.bytes += chunk.length;
      yield chunk;
    }
  }
  return {
    source: {
      open: () => counted(passes++ === 0 ? hashing() : plain.open()),
      close: () => plain.close(),
      // A reader thread reads the file itself and says how far it is.
      file: () => {
        const whole = plain.file?.();
        return whole === undefined ? undefined : { ...whole, progress: (bytes: number) => { reading.bytes = bytes; } };
      },
    },
    sha256: () => (hex ??= hash.digest('hex')),
  };
}
