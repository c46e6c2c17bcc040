// Writes a file so that no reader ever sees half of it: into a temporary name
// beside it, flushed to disk, then renamed over the final name in one step.
// A write that fails rejects and leaves nothing behind.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** `mode`: the file's permissions (0o600 for a file of secrets), set before it gets its name; default as the umask allows. */
export async function writeAtomically(file: string, pieces: AsyncIterable<string>, options: { mode?: number } = {}): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    // pipeline, not write() in a loop: a stream's 'error' (the file cannot be opened, the disk is full)
    // must reject here, and with no listener it would be thrown as an uncaught exception instead.
    await pipeline(pieces, fs.createWriteStream(temp, options.mode === undefined ? {} : { mode: options.mode }));
    const fd = await fs.promises.open(temp, 'r+');
    try {
      // The umask may have taken bits away from the mode asked for (never added any): set it exactly.
      if (options.mode !== undefined) await fd.chmod(options.mode);
      await fd.sync();
    } finally {
      await fd.close();
    }
    await fs.promises.rename(temp, file);
  } catch (err) {
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}
