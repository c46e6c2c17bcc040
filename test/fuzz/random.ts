// The fuzzer's only source of chance: mulberry32, a 32-bit PRNG small enough
// to read, seeded per request from (run seed, request index) so that request
// n is the same whatever the requests before it did or answered; a failure
// names both, and FUZZ_SEED + FUZZ_ONLY replay it alone.

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The generator of request `index` of a run seeded `seed`. */
  static forRequest(seed: number, index: number): Random {
    // A different stream per index: mix the pair once (splitmix-style) so neighbouring indexes do not correlate.
    let h = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    return new Random((h ^ (h >>> 16)) >>> 0);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[this.below(items.length)] as T;
  }

  /** One of `items`, each as likely as its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.below(256);
    return out;
  }

  /** A token of [a-z0-9], for ids that must not collide within a run. */
  word(n = 10): string {
    const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += abc[this.below(abc.length)];
    return s;
  }
}

/** FUZZ_SEED as a number (decimal or 0x hex), `random` for a fresh one, or the suite's fixed default. */
export function runSeed(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (value === 'random') return Math.floor(Math.random() * 0x1_0000_0000);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new Error(`FUZZ_SEED must be an integer 0..2^32-1 or "random", not ${value}`);
  return n;
}
