// Writes a file so that no reader ever sees half of it: into a temporary name
// beside it, flushed to disk, then renamed over the final name in one step.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';

export async function writeAtomically(file: string, pieces: AsyncIterable<string>): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const out = fs.createWriteStream(temp);
  try {
    for await (const piece of pieces) {
      if (!out.write(piece)) await once(out, 'drain');
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    const fd = await fs.promises.open(temp, 'r+');
    await fd.sync();
    await fd.close();
    await fs.promises.rename(temp, file);
  } catch (err) {
    out.destroy();
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
}
