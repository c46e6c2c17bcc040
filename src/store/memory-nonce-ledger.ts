// A NonceLedger in this process's memory: forgets on restart and is not
// shared, so only for tests and a single process that may forget.
import type { NonceLedger } from './nonce-ledger.js';

export class MemoryNonceLedger implements NonceLedger {
  private readonly until = new Map<string, number>();

  async claim(nonce: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    const held = this.until.get(nonce);
    if (held !== undefined && held > nowMs) return false;
    this.until.set(nonce, expiresAtMs);
    if (this.until.size % 1024 === 0) this.forgetExpired(nowMs);
    return true;
  }

  /** How many nonces are held (expired ones included until the next sweep). */
  get size(): number {
    return this.until.size;
  }

  forgetExpired(nowMs: number): void {
    for (const [nonce, until] of this.until) if (until <= nowMs) this.until.delete(nonce);
  }
}
