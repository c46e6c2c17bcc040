// The claims one drop-folder instance holds in work/ (files it imports, or
// will try again): their leases in the store are renewed while they are held,
// which is how instances on other hosts know this one is alive, and a claim
// another instance has taken over is let go. Owns the leases; never touches a file.
import { holdClaim } from './claim-ledger.js';
import { leaseFrom } from '../domain/batch.js';
import type { ExchangeClaim, ExchangeFile } from '../domain/drop-folder.js';
import { ClaimTakenOverError } from '../errors.js';
import type { FaultLogger } from '../fault.js';
import type { Store } from '../store/store.js';

export class ClaimLeases {
  private readonly held = new Map<string, ExchangeFile>();

  constructor(
    private readonly store: Store,
    private readonly now: () => string,
    private readonly log: FaultLogger,
  ) {}

  has(claim: string): boolean {
    return this.held.has(claim);
  }

  /** Counts `file` as held from now on, renewed from the next beat (hold() renews at once). */
  track(file: ExchangeFile): void {
    this.held.set(file.claim, file);
  }

  /** Holds `file` for another lease and answers what the store knows of it; ClaimTakenOverError when it is no longer this instance's. */
  async hold(file: ExchangeFile): Promise<ExchangeClaim> {
    this.track(file);
    const known = await this.holdClaim(file);
    if (known === undefined) {
      this.held.delete(file.claim);
      throw new ClaimTakenOverError(file.claim);
    }
    return known;
  }

  /** The file has left work/ (or was lost): its lease is left to run out. */
  release(claim: string): void {
    this.held.delete(claim);
  }

  /** Renews every claim held: the heartbeat, while a long file holds the poll up. */
  async renewAll(): Promise<void> {
    for (const file of [...this.held.values()]) {
      // Released meanwhile: renewing it would only keep a finished file's claim looking alive.
      if (!this.held.has(file.claim)) continue;
      try {
        // Taken over: let go here; whoever imports it learns it at its next hold().
        if ((await this.holdClaim(file)) === undefined) this.held.delete(file.claim);
      } catch (err) {
        this.log.error({ err, claim: file.claim }, 'drop folder: could not renew a claim; trying again at the next beat');
      }
    }
  }

  private holdClaim(file: ExchangeFile): Promise<ExchangeClaim | undefined> {
    const leaseUntil = leaseFrom(this.now());
    return this.store.write((unit) => holdClaim(unit.ledger, file, leaseUntil));
  }
}
