// Who claims files in the drop folder's work/: the host and process a claim
// name records, and whether a process named in a claim of this host still
// runs. An option of the drop folder, so tests can play several hosts and
// processes in one. Owns that identity only; never touches a file or the store.
import os from 'node:os';

export interface Claimant {
  readonly host: string;
  readonly pid: number;
  /** Whether a process of this host with this id runs (answered for other processes of this host only). */
  isRunning(pid: number): boolean;
}

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
