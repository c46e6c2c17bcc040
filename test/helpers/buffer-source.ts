// A batch document held in memory as a BatchSource, given 64 KB at a time
// like a file read, for reading it without a server or a file.
import type { BatchSource } from '../../src/import/batch-source.js';

export function bufferSource(doc: Buffer, chunk = 64 * 1024): BatchSource {
  return {
    async *open() {
      for (let at = 0; at < doc.length; at += chunk) yield doc.subarray(at, at + chunk);
    },
    close: async () => undefined,
  };
}
