// When to try again a file the drop folder failed on unexpectedly (disk full,
// the database busy): at the poll after the first failure, then after twice
// as many polls for each further failure in a row, up to MAX_WAIT_POLLS. A
// fault that passes costs one poll; one that lasts is not hammered every poll.
// Counted in polls, not time, so the waits follow CRM_EXCHANGE_POLL_MS and a
// test can step through them. Owns the timing only.

/** At most this many polls between two attempts (about two minutes at the default 2 s). */
export const MAX_WAIT_POLLS = 64;

export class RetrySchedule<T> {
  private readonly waiting = new Map<string, { item: T; failures: number; polls: number }>();

  has(key: string): boolean {
    return this.waiting.has(key);
  }

  /** `key` failed (again): answers in how many polls `item` is due. */
  failed(key: string, item: T): { failures: number; polls: number } {
    const failures = (this.waiting.get(key)?.failures ?? 0) + 1;
    const polls = Math.min(2 ** (failures - 1), MAX_WAIT_POLLS);
    this.waiting.set(key, { item, failures, polls });
    return { failures, polls };
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
