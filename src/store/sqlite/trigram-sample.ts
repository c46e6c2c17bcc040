// Which trigrams of a name term to ask the trigram index for. Every trigram
// of the term must be in a matching name, but asking for all of them costs
// the sum of their posting lists: at 10,000 customers '#00' is in every name
// the bench writes, and reading its list took ~200 µs of a ~480 µs lookup;
// at 1,000,000 such lists are 100 times longer. instr() decides the match
// anyway, so the index need only narrow: the rarest few trigrams do that at a
// fraction of the cost. How rare each is, is estimated from a random sample
// of the stored names, taken again when the number of customers has moved by
// a tenth since (checked every CHECK_EVERY name searches, so a search
// normally costs no extra query).
import type Database from 'better-sqlite3';

const SAMPLE = 2000;
const CHECK_EVERY = 64;
/** Besides the rarest, a trigram is asked for only when in at most this share of the sample. */
const RARE = 0.02;
const MAX_TRIGRAMS = 3;

export class TrigramSample {
  private counts = new Map<string, number>();
  private sampled = 0;
  private sampledAtCount = -1;
  private searchesSinceCheck = 0;
  private readonly maxPk: Database.Statement;
  private readonly namesByPk: Database.Statement;

  /** `customerCount`: search-sql.ts's customerCountStatement(), shared with the search that owns this sample. */
  constructor(db: Database.Database, private readonly customerCount: Database.Statement) {
    this.maxPk = db.prepare('SELECT max(pk) FROM customers').pluck();
    this.namesByPk = db.prepare('SELECT name_folded FROM customers WHERE pk IN (SELECT value FROM json_each(?))').pluck();
  }

  /**
   * The trigrams (distinct, of a term of 3 or more characters) to look up:
   * the rarest, and up to two more that are rare too. All of them while
   * nothing is known (an empty store, or none sampled yet).
   */
  selective(trigrams: readonly string[]): string[] {
    this.refreshWhenStale();
    if (this.sampled === 0 || trigrams.length <= 1) return [...trigrams];
    const byRarity = [...trigrams].sort((a, b) => (this.counts.get(a) ?? 0) - (this.counts.get(b) ?? 0));
    const rare = byRarity.slice(1).filter((t) => (this.counts.get(t) ?? 0) <= RARE * this.sampled);
    return [byRarity[0] as string, ...rare].slice(0, MAX_TRIGRAMS);
  }

  private refreshWhenStale(): void {
    if (this.sampledAtCount >= 0 && ++this.searchesSinceCheck < CHECK_EVERY) return;
    this.searchesSinceCheck = 0;
    const count = (this.customerCount.get() as number | undefined) ?? 0;
    if (this.sampledAtCount >= 0 && Math.abs(count - this.sampledAtCount) <= this.sampledAtCount / 10) return;
    this.sampledAtCount = count;
    this.resample();
  }

  private resample(): void {
    // Random keys rather than ORDER BY random(), which reads every row. Keys
    // left by deleted customers just make the sample a little smaller.
    const max = (this.maxPk.get() as number | null) ?? 0;
    const keys = new Set<number>();
    for (let i = 0; i < SAMPLE && max > 0; i++) keys.add(1 + Math.floor(Math.random() * max));
    const counts = new Map<string, number>();
    const names = this.namesByPk.all(JSON.stringify([...keys])) as string[];
    for (const name of names) {
      for (const t of trigramsOf(name)) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    this.counts = counts;
    this.sampled = names.length;
  }
}

/** The distinct trigrams of `text`, by code point (as the index's trigram tokenizer splits it). */
export function trigramsOf(text: string): string[] {
  const chars = [...text];
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) trigrams.add(chars.slice(i, i + 3).join(''));
  return [...trigrams];
}
