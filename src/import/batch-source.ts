// Where a streamed batch is read from. It is read twice: once to check its
// structure (so a broken document stores nothing), once to import it. A file
// is simply opened twice; an HTTP body, which can be read only once, is
// copied to a spool file during the first pass.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { holderGone, type ProcessView } from '../domain/lease-holder.js';

export interface BatchSource {
  /** The document from its first byte; called once per pass. */
  open(): AsyncIterable<Buffer>;
  /** Frees what the source holds (the spool file). */
  close(): Promise<void>;
  /**
   * The document as a file on disk, once it is one (after the first pass of a
   * spooled body), for a reader thread; `progress` hears how far such a reader has read.
   */
  file?(): SourceFile | undefined;
}

export interface SourceFile {
  readonly path: string;
  readonly bytes: number;
  readonly progress?: (bytesRead: number) => void;
}

export function fileSource(file: string): BatchSource {
  return {
    open: () => fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
    close: async () => undefined,
    file: () => ({ path: file, bytes: fs.statSync(file).size }),
  };
}

/** What a spooled body is (the spool file's extension): a CustomerBatch, or a JSON batch. */
export type SpoolFormat = 'xml' | 'json';

/**
 * An HTTP body: the first open() streams it while writing it to `spoolDir`;
 * later ones read that copy. The file is named for this process, so that one
 * left by a process that died part-way can be told apart (removeOrphanSpools).
 */
export function spooledSource(body: AsyncIterable<Buffer>, spoolDir: string, format: SpoolFormat = 'xml'): BatchSource {
  const file = path.join(spoolDir, `batch-${process.pid}-${randomUUID()}.${format}`);
  let spooled = false;
  let bytes: number | undefined;
  return {
    open() {
      if (spooled) return fs.createReadStream(file, { highWaterMark: 256 * 1024 });
      spooled = true;
      return copyWhileReading(body, file, (n) => { bytes = n; });
    },
    file: () => (bytes === undefined ? undefined : { path: file, bytes }),
    async close() {
      await fs.promises.rm(file, { force: true });
    },
  };
}

/** `copied(bytes)` is called once the whole body is in the file. */
async function* copyWhileReading(body: AsyncIterable<Buffer>, file: string, copied: (bytes: number) => void): AsyncGenerator<Buffer> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const out = fs.createWriteStream(file);
  let bytes = 0;
  let complete = false;
  try {
    for await (const chunk of body) {
      bytes += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
      yield chunk;
    }
    complete = true;
  } finally {
    out.end();
    await once(out, 'close');
  }
  if (complete) copied(bytes);
}

const SPOOL_FILE = /^batch-(\d+)-[0-9a-f-]{36}\.(?:xml|json)$/;

/**
 * Removes the spool files of processes that are gone: a batch's copy is
 * removed when its import ends, but not when its process is killed, and each
 * is as large as its batch. Gone is what it is for a drop-folder claim or a
 * running batch (domain/lease-holder.ts): a process that no longer runs, or
 * one with this very process's id, which a restart can be given again (a
 * container's process ids repeat from one start to the next). So this runs at start-up, before
 * the server accepts a batch of its own. Files of other running processes
 * (other workers, another instance on this data folder) stay. Returns the
 * names removed.
 */
export function removeOrphanSpools(spoolDir: string, me: ProcessView): string[] {
  if (!fs.existsSync(spoolDir)) return [];
  const orphans = fs.readdirSync(spoolDir).filter((name) => {
    const pid = Number(SPOOL_FILE.exec(name)?.[1] ?? NaN);
    // The spool folder is this host's: its files are named by pid alone.
    return !Number.isNaN(pid) && holderGone({ host: me.host, pid }, me, false) === true;
  });
  for (const name of orphans) fs.rmSync(path.join(spoolDir, name), { force: true });
  return orphans;
}
