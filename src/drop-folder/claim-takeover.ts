// When a file someone else left in work/ may be taken over: only when the
// claimant is provably gone. On this host its process can be asked: gone when
// it no longer runs, or when it is this very process, which does not hold the
// file (a restart that was given the same pid; domain/lease-holder.ts has the
// rule, shared with running batches and spool files). Another host's process
// cannot be asked, so its lease in the store decides: a claimant renews it
// while it holds the file, so it runs out only when that claimant died, hung,
// or lost the store. Decides only: the drop folder lists, renames and records.
import type { ExchangeClaim } from '../domain/drop-folder.js';
import { holderGone } from '../domain/lease-holder.js';
import type { Claimant } from '../this-process.js';
import type { Claim } from './folder-names.js';

/**
 * `claim` is one this instance does not hold; `stored` reads what the store
 * knows of it (asked only for another host's claim).
 */
export async function claimantGone(claim: Claim, me: Claimant, now: string, stored: () => Promise<ExchangeClaim>): Promise<boolean> {
  const gone = holderGone(claim, me, false);
  if (gone !== undefined) return gone;
  const known = await stored();
  return known.takenOverBy !== undefined || Date.parse(known.leaseUntil) <= Date.parse(now);
}
