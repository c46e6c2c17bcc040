// Reads a whole text file that may not be there yet (the users file, its key):
// undefined when it does not exist, any other failure thrown.
import fs from 'node:fs';

export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
