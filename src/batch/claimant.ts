// Who claims files in the drop folder's work/: the host and process a claim
// name records, and whether a process named in a claim of this host still
// runs. An option of the drop folder, so tests can play several hosts and
// processes in one. Owns that identity only; never touches a file or the store.
import os from 'node:os';
import type { ProcessView } from '../domain/lease-holder.js';

/** Also who holds a batch's lease (operations/batch-session.ts). */
export type Claimant = ProcessView;

/** This host and process: what a real instance is. */
export function thisProcess(): Claimant {
  return { host: os.hostname(), pid: process.pid, isRunning };
}

function isRunning(pid: number): boolean {
  try {
    // Signal 0 checks the process exists without signalling it.
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as { code?: string }).code === 'EPERM';
  }
}
