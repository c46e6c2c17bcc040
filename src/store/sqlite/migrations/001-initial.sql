-- 001: customers with ordered addresses and contacts, the change log that
-- GetChanges reads, and the replay table of UpsertCustomers batches.
-- Released: never edit, add 002-... instead.

CREATE TABLE customers (
  -- Stable integer key for the name index below (an implicit rowid may change on VACUUM).
  pk                INTEGER PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
  external_id       TEXT UNIQUE,
  type              TEXT NOT NULL,
  name              TEXT NOT NULL,
  -- Unicode case-folded copies for case-insensitive search (SQLite folds ASCII only).
  name_folded       TEXT NOT NULL,
  email             TEXT,
  email_folded      TEXT,
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
CREATE INDEX customers_email ON customers (email_folded);
CREATE INDEX customers_status ON customers (status, id);
CREATE INDEX customers_updated ON customers (updated_at);

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
CREATE INDEX addresses_country ON addresses (country, customer_id);

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

-- The number of customers, kept by triggers, so an unfiltered search answers
-- its total without counting a million rows (a count(*) scans an index).
CREATE TABLE customer_count (one INTEGER PRIMARY KEY CHECK (one = 1), n INTEGER NOT NULL);
INSERT INTO customer_count (one, n) VALUES (1, 0);
CREATE TRIGGER customers_count_ai AFTER INSERT ON customers BEGIN
  UPDATE customer_count SET n = n + 1 WHERE one = 1;
END;
CREATE TRIGGER customers_count_ad AFTER DELETE ON customers BEGIN
  UPDATE customer_count SET n = n - 1 WHERE one = 1;
END;

-- Substring search on names: trigram index over the folded name, kept in step
-- with customers by triggers. Terms under 3 characters fall back to a scan.
-- detail=none and no column sizes: the index only narrows candidates (every
-- trigram of the term must be there) and instr() decides, so positions are
-- not needed; without them (and column sizes) indexing 50k names took 0.89 s
-- instead of 1.07 s.
CREATE VIRTUAL TABLE customer_names USING fts5 (
  name_folded, content = 'customers', content_rowid = 'pk',
  tokenize = 'trigram case_sensitive 1', detail = 'none', columnsize = 0
);
CREATE TRIGGER customers_names_ai AFTER INSERT ON customers BEGIN
  INSERT INTO customer_names (rowid, name_folded) VALUES (new.pk, new.name_folded);
END;
CREATE TRIGGER customers_names_ad AFTER DELETE ON customers BEGIN
  INSERT INTO customer_names (customer_names, rowid, name_folded) VALUES ('delete', old.pk, old.name_folded);
END;
CREATE TRIGGER customers_names_au AFTER UPDATE OF name_folded ON customers BEGIN
  INSERT INTO customer_names (customer_names, rowid, name_folded) VALUES ('delete', old.pk, old.name_folded);
  INSERT INTO customer_names (rowid, name_folded) VALUES (new.pk, new.name_folded);
END;

-- One row per change. `stamp` (microseconds since the epoch, UTC) is strictly
-- increasing in commit order: it is assigned inside the write transaction as
-- max(now, last stamp + 1), so it is both a time and an exact cursor.
CREATE TABLE change_log (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  stamp       INTEGER NOT NULL UNIQUE,
  customer_id TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('CREATED', 'UPDATED', 'DELETED')),
  version     INTEGER
);
CREATE INDEX change_log_customer ON change_log (customer_id, stamp);

-- Batches (UpsertCustomers, /xml/batches, batch files). A batch is applied in
-- chunks; each chunk's changes and its records' results commit together, so
-- the results are always exactly what is stored, also after a crash.
CREATE TABLE batches (
  batch_key   TEXT PRIMARY KEY,
  -- the client's batchId; NULL for a batch sent without one
  batch_id    TEXT UNIQUE,
  mode        TEXT NOT NULL CHECK (mode IN ('PARTIAL', 'ATOMIC')),
  state       TEXT NOT NULL CHECK (state IN ('RUNNING', 'DONE')),
  -- identifies the body, set when the batch is DONE (replay vs. other content)
  fingerprint TEXT,
  created     INTEGER NOT NULL DEFAULT 0,
  updated     INTEGER NOT NULL DEFAULT 0,
  unchanged   INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  -- a RUNNING batch whose lease has passed was abandoned (its process died)
  lease_until TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  finished_at TEXT
) WITHOUT ROWID;

CREATE TABLE batch_results (
  batch_key   TEXT NOT NULL REFERENCES batches(batch_key) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  external_id TEXT,
  customer_id TEXT,
  status      TEXT NOT NULL,
  code        TEXT,
  message     TEXT,
  PRIMARY KEY (batch_key, idx)
) WITHOUT ROWID;

-- ATOMIC batches are staged here record by record, then applied in one transaction.
CREATE TABLE batch_staging (
  batch_key TEXT NOT NULL REFERENCES batches(batch_key) ON DELETE CASCADE,
  idx       INTEGER NOT NULL,
  record    TEXT NOT NULL,
  PRIMARY KEY (batch_key, idx)
) WITHOUT ROWID;
