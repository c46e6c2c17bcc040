-- 001: customers with ordered addresses and contacts, and the change log that
-- GetChanges reads. Released: never edit, add 002-... instead.
CREATE TABLE customers (
  id                TEXT PRIMARY KEY,
  external_id       TEXT UNIQUE,
  type              TEXT NOT NULL,
  name              TEXT NOT NULL,
  email             TEXT,
  phone             TEXT,
  status            TEXT NOT NULL,
  vat_number        TEXT,
  -- 1 when the wrapper element was sent (even empty), so it round-trips as sent
  addresses_present INTEGER NOT NULL DEFAULT 0,
  contacts_present  INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);

CREATE TABLE addresses (
  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  type        TEXT NOT NULL,
  line1       TEXT NOT NULL,
  line2       TEXT,
  city        TEXT NOT NULL,
  region      TEXT,
  postal_code TEXT,
  country     TEXT NOT NULL,
  PRIMARY KEY (customer_id, position)
) WITHOUT ROWID;

CREATE TABLE contacts (
  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  first_name  TEXT,
  last_name   TEXT NOT NULL,
  email       TEXT,
  phone       TEXT,
  role        TEXT,
  PRIMARY KEY (customer_id, position)
) WITHOUT ROWID;

-- One row per change, in commit order: seq is the cursor GetChanges pages by.
CREATE TABLE change_log (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('CREATED', 'UPDATED', 'DELETED')),
  version     INTEGER,
  changed_at  TEXT NOT NULL
);
CREATE INDEX change_log_customer ON change_log (customer_id, seq);
