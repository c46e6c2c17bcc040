-- 005: WS-Security UsernameToken nonces already accepted, each until its
-- token's window ends (store/nonce-ledger.ts): a replay is refused after a
-- restart and by every process on this database.
-- Released: never edit, add 006-... instead.

CREATE TABLE nonces (
  -- the nonce's bytes, Base64
  nonce TEXT PRIMARY KEY,
  -- milliseconds since the epoch after which the nonce may be forgotten
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX nonces_by_expiry ON nonces (expires_at);
