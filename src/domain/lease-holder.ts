// Who holds a lease, and when that holder is gone: the one rule for a running
// batch (batch-session.ts), a claimed drop-folder file (batch/claim-takeover.ts)
// and a spooled body (removeOrphanSpools). On this host a process can be
// asked: it is gone when it no longer runs, or when it has this very
// process's id while this process does not hold the thing (a restart given
// the same pid, as a container's are). A process of another host cannot be
// asked: only its lease running out tells. Pure: what runs on this host is
// the asker's to say.
import { LEASE_MS } from './batch.js';

/** The process holding a lease, as the store or a claim name records it. */
export interface LeaseHolder {
  readonly host: string;
  readonly pid: number;
}

/** The process asking: its own identity, and its view of the processes of its host. */
export interface ProcessView extends LeaseHolder {
  /** Whether a process of this host with this id runs (asked for other processes of this host only). */
  isRunning(pid: number): boolean;
}

/**
 * Whether `holder` is gone as `me` sees it; undefined when `me` cannot tell
 * (another host: its lease must say). `heldByMe`: this process holds the thing
 * itself (another of its requests or files).
 */
export function holderGone(holder: LeaseHolder, me: ProcessView, heldByMe: boolean): boolean | undefined {
  if (holder.host !== me.host) return undefined;
  return holder.pid === me.pid ? !heldByMe : !me.isRunning(holder.pid);
}

/** A batch the store has as RUNNING: who began or resumed it (unknown for one begun before the store recorded it) and its lease. */
export interface RunningBatch {
  readonly holder: LeaseHolder | undefined;
  readonly leaseUntil: string;
}

/**
 * Whether `me` may resume a RUNNING batch at `now`: when its lease has run
 * out, or its holder is gone. Otherwise someone alive holds it (another
 * request of this process, another worker or instance) and the caller must
 * come back later. `heldByMe`: this process is importing that batch already.
 */
export function mayResumeBatch(running: RunningBatch, me: ProcessView, heldByMe: boolean, now: string): boolean {
  if (Date.parse(running.leaseUntil) <= Date.parse(now)) return true;
  return running.holder !== undefined && holderGone(running.holder, me, heldByMe) === true;
}

/** Whole seconds until a lease ending at `leaseUntil` runs out, at least 1 (for Retry-After), at most a lease. */
export function retryAfterSeconds(leaseUntil: string, now: string): number {
  const ms = Date.parse(leaseUntil) - Date.parse(now);
  return Math.min(Math.ceil(LEASE_MS / 1000), Math.max(1, Math.ceil(ms / 1000)));
}
