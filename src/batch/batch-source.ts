// Where a streamed batch is read from. It is read twice: once to check its
// structure (so a broken document stores nothing), once to import it. A file
// is simply opened twice; an HTTP body, which can be read only once, is
// copied to a spool file during the first pass.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';

export interface BatchSource {
  /** The document from its first byte; called once per pass. */
  open(): AsyncIterable<Buffer>;
  /** Frees what the source holds (the spool file). */
  close(): Promise<void>;
}

export function fileSource(file: string): BatchSource {
  return { open: () => fs.createReadStream(file, { highWaterMark: 256 * 1024 }), close: async () => undefined };
}

/** An HTTP body: the first open() streams it while writing it to `spoolDir`; later ones read that copy. */
export function spooledSource(body: AsyncIterable<Buffer>, spoolDir: string): BatchSource {
  const file = path.join(spoolDir, `batch-${randomUUID()}.xml`);
  let spooled = false;
  return {
    open() {
      if (spooled) return fs.createReadStream(file, { highWaterMark: 256 * 1024 });
      spooled = true;
      return copyWhileReading(body, file);
    },
    async close() {
      await fs.promises.rm(file, { force: true });
    },
  };
}

async function* copyWhileReading(body: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const out = fs.createWriteStream(file);
  try {
    for await (const chunk of body) {
      if (!out.write(chunk)) await once(out, 'drain');
      yield chunk;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
}
