// Group commit for single-record writes (create, update, delete): the writes
// that arrive while the event loop is busy (typically while the previous
// commit waits for its fsync) are committed together, one transaction and one
// fsync for all of them. Each write runs in a SAVEPOINT of its own, so one that
// fails leaves no trace and the others still commit; no write is acknowledged
// (its promise settled) before the COMMIT that makes it durable has returned.
// With synchronous=FULL a commit costs an fsync (~3 ms here), which otherwise
// caps durable single writes at a few hundred per second.
import type { WriteTransaction } from './write-transaction.js';

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export class GroupCommit {
  private queue: Pending[] = [];
  private readonly listeners: ((writes: number) => void)[] = [];

  /**
   * The store's write transaction and savepoint; `begin` runs first inside
   * each group's transaction (to reset per-transaction caches).
   */
  constructor(
    private readonly transaction: WriteTransaction,
    private readonly savepoint: <T>(work: () => T) => T,
    private readonly begin: () => void,
  ) {}

  /** Runs `work` in the next group; settles once that group has committed (or failed). */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => void this.flush());
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** Called after each committed group with the number of writes in it. */
  onCommit(listener: (writes: number) => void): void {
    this.listeners.push(listener);
  }

  private async flush(): Promise<void> {
    // Writes that arrive while this group waits for the write lock (another
    // process is writing) go to the next group.
    const group = this.queue;
    this.queue = [];
    const outcomes: Outcome[] = [];
    try {
      await this.transaction(() => {
        this.begin();
        for (const item of group) {
          try {
            outcomes.push({ ok: true, value: this.savepoint(item.work) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // BEGIN or COMMIT failed: nothing of the group is stored.
      for (const item of group) item.reject(error);
      return;
    }
    group.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome?.error);
    });
    for (const listener of this.listeners) listener(group.length);
  }
}
