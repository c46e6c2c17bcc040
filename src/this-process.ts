// This host and process as a lease holder sees itself: what a drop-folder
// claim name and a running batch record (host and pid), and whether a
// process of this host named in one still runs. The drop folder takes it as
// an option, so tests can play several hosts and processes in one. Owns that
// identity only; never touches a file or the store.
import os from 'node:os';
import type { ProcessView } from './domain/lease-holder.js';

/** Who claims drop-folder files and holds batch leases (drop-folder/, operations/batch-session.ts). */
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
