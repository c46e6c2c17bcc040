// Where a finished drop-folder file and its report go: the report under a name
// free in outbox/ (<name>.report.xml, stamped when taken), a note put before
// it, and the original moved out of work/ to archive/ or error/ as
// <name>-<timestamp>.xml. Owns those names and moves; knows nothing of batches.
import fs from 'node:fs';
import path from 'node:path';
import { fileStamp } from './folder-names.js';

/** A free name in `outbox` for the report of the file dropped as `name`. */
export function reportFile(outbox: string, name: string): Promise<string> {
  return unique(path.join(outbox, `${name}.report.xml`), '.report.xml');
}

/** Moves a finished file into `folder` (archive/ or error/) under a free stamped name. */
export async function moveOut(file: string, folder: string, name: string): Promise<void> {
  await fs.promises.rename(file, await unique(path.join(folder, `${name.replace(/\.xml$/i, '')}-${fileStamp()}.xml`)));
}

/** The report's pieces with `note` (a comment; '' for none) after the XML declaration, which must come first. */
export async function* withNote(note: string, pieces: AsyncIterable<string>): AsyncGenerator<string> {
  let started = false;
  for await (const piece of pieces) {
    if (!started && note !== '') {
      const end = piece.indexOf('?>');
      yield end < 0 ? note + piece : `${piece.slice(0, end + 2)}\n${note}${piece.slice(end + 2).replace(/^\n/, '')}`;
    } else {
      yield piece;
    }
    started = true;
  }
}

/** `file`, or with a timestamp (and a counter) inserted before `suffix` when that name is taken. */
async function unique(file: string, suffix = path.extname(file)): Promise<string> {
  const stem = file.slice(0, file.length - suffix.length);
  const when = fileStamp();
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? file : n === 2 ? `${stem}-${when}${suffix}` : `${stem}-${when}-${n}${suffix}`;
    try {
      await fs.promises.access(candidate);
    } catch {
      return candidate;
    }
  }
}
