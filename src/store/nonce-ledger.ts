// The nonces of WS-Security UsernameTokens already accepted, each until the
// end of the window in which its token could be sent again: what refuses a
// replay. Kept in the store so that a replay is refused after a restart and
// by every instance sharing the store (SqliteNonceLedger); MemoryNonceLedger
// for tests.

export interface NonceLedger {
  /**
   * Records `nonce` as used until `expiresAtMs`, and answers true; answers
   * false, recording nothing, when it is already recorded and has not expired
   * at `nowMs`. Atomic: of two claims of one nonce at once, one wins.
   */
  claim(nonce: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
}
