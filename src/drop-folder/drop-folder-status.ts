// The drop folder as an operator sees it (GET /exchange and /metrics): files
// by outcome and the last error from the store; files in progress from the
// listing of work/, with their committed records from the store and, for the
// files this process reads, the bytes read; files waiting from inbox/.
// Per call: two directory listings, a stat per file shown, one store read.
// It never opens a file and holds no state of its own.
import type { Dirent } from 'node:fs';
import fs from 'node:fs';
import path from 'node:path';
import { outcomeCounts, type ExchangeStatus, type FileInProgress, type WaitingFile } from '../domain/drop-folder.js';
import type { Store } from '../store/store.js';
import type { LocalDropFolder } from './drop-folder.js';
import { isCandidate, parseClaim, type Claim } from './folder-names.js';

/** Waiting files shown in detail (a stat each); the count covers them all. */
export const INBOX_SHOWN = 100;

export interface ExchangeStatusSource {
  /** The drop folder's root, or undefined when it is switched off. */
  readonly root: string | undefined;
  readonly store: Store;
  /** The drop folder this process runs, if it runs one. */
  readonly local: LocalDropFolder | undefined;
}

export async function readExchangeStatus({ root, store, local }: ExchangeStatusSource): Promise<ExchangeStatus> {
  if (root === undefined) return { state: 'OFF' };
  const work = path.join(root, 'work');
  const inbox = path.join(root, 'inbox');
  const claims = (await filesIn(work))
    .map(parseClaim)
    .filter((c): c is Claim => c !== undefined)
    .sort((a, b) => a.claimedAt.localeCompare(b.claimedAt) || a.claim.localeCompare(b.claim));
  const waiting = (await filesIn(inbox)).filter(isCandidate).sort();
  const ledger = await store.read((unit) => unit.ledger.read(claims.map((c) => c.claim)));
  const inProgress = await Promise.all(claims.map(async (c): Promise<FileInProgress | undefined> => {
    const stat = await statOf(path.join(work, c.claim));
    // Gone since the listing: it has just been finished.
    if (stat === undefined) return undefined;
    const committed = ledger.committed.get(c.claim);
    return {
      name: c.name,
      claimedAt: c.claimedAt,
      host: c.host,
      pid: c.pid,
      phase: committed === undefined ? 'CHECKING' : 'STORING',
      recordsCommitted: committed ?? 0,
      bytesRead: local?.bytesRead(c.claim),
      bytes: stat.size,
    };
  }));
  const shown = await Promise.all(waiting.slice(0, INBOX_SHOWN).map(async (name): Promise<WaitingFile | undefined> => {
    const stat = await statOf(path.join(inbox, name));
    return stat === undefined ? undefined : { name, bytes: stat.size, modifiedAt: stat.mtime.toISOString() };
  }));
  return {
    state: local?.watching === true ? 'WATCHING' : 'STOPPED',
    folder: root,
    files: outcomeCounts(ledger.files),
    inProgress: inProgress.filter((f) => f !== undefined),
    inbox: { count: waiting.length, files: shown.filter((f) => f !== undefined) },
    lastError: ledger.lastError,
  };
}

/** Names of the plain files in `dir`; none while the folder does not exist yet. */
async function filesIn(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return [];
    throw err;
  }
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

async function statOf(file: string): Promise<fs.Stats | undefined> {
  try {
    return await fs.promises.stat(file);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw err;
  }
}
