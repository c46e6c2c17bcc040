// When to try again a file the drop folder failed on unexpectedly (disk full,
// the database busy, the thread reading records died), and when not to: at
// the poll after the first failure, then after twice as many polls for each
// further failure in a row, up to MAX_WAIT_POLLS, as long as each failure
// differs from the one before. A fault that passes costs one poll; one that
// changes is not hammered every poll; one that repeats itself exactly (the
// same `how`, see drop-folder.ts) would repeat forever, so the schedule says
// so and the drop folder gives the file up. Counted in polls, not time, so
// the waits follow CRM_EXCHANGE_POLL_MS and a test can step through them.
// Owns the timing and that comparison only.

/** At most this many polls between two attempts (about two minutes at the default 2 s). */
export const MAX_WAIT_POLLS = 64;

export class RetrySchedule<T> {
  private readonly waiting = new Map<string, { item: T; failures: number; polls: number; how: string }>();

  has(key: string): boolean {
    return this.waiting.has(key);
  }

  /**
   * `key` failed (again), in the way `how` describes: answers in how many
   * polls `item` is due, and whether this failure repeats the one before it
   * (then the caller should not try again; it stays scheduled until forgotten).
   */
  failed(key: string, item: T, how: string): { failures: number; polls: number; repeated: boolean } {
    const before = this.waiting.get(key);
    const failures = (before?.failures ?? 0) + 1;
    const polls = Math.min(2 ** (failures - 1), MAX_WAIT_POLLS);
    this.waiting.set(key, { item, failures, polls, how });
    return { failures, polls, repeated: before?.how === how };
  }

  /** A poll begins: the items whose wait is over, in key order (they stay scheduled until they succeed or are forgotten). */
  tick(): { key: string; item: T }[] {
    const due: { key: string; item: T }[] = [];
    for (const [key, entry] of this.waiting) {
      entry.polls -= 1;
      if (entry.polls <= 0) due.push({ key, item: entry.item });
    }
    return due.sort((a, b) => a.key.localeCompare(b.key));
  }

  forget(key: string): void {
    this.waiting.delete(key);
  }
}
