-- 002: what became of the drop folder's files, for the operator view
-- (/exchange, /metrics). Kept in the store rather than counted in process or
-- read from the folders: it survives a restart, every instance on the store
-- sees the same, and it does not shrink when an operator empties archive/ or
-- a partner collects its reports from outbox/.
-- Released: never edit, add 003-... instead.

CREATE TABLE exchange_files (
  -- the file's name in work/ (claim time, host, process id, its own name): one row per claim
  claim         TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  claimed_at    TEXT NOT NULL,
  -- the batch importing it, once pass 1 has read it whole: its results say how far it got
  batch_key     TEXT,
  -- NULL while the file is in work/; set once
  outcome       TEXT CHECK (outcome IN ('imported', 'failed-records', 'duplicate', 'unreadable')),
  finished_at   TEXT,
  -- the last error of this file (unreadable, or an unexpected failure that left it in work/)
  error_code    TEXT,
  error_message TEXT,
  error_at      TEXT,
  -- errors in the order they were recorded (writes are serialised; times may share a millisecond)
  error_seq     INTEGER
) WITHOUT ROWID;
CREATE INDEX exchange_files_errors ON exchange_files (error_seq) WHERE error_seq IS NOT NULL;

-- Files by outcome, counted as outcomes are recorded, so reading the totals
-- costs the same at the ten-thousandth file as at the first.
CREATE TABLE exchange_outcomes (
  outcome TEXT PRIMARY KEY,
  files   INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO exchange_outcomes (outcome, files) VALUES ('imported', 0), ('failed-records', 0), ('duplicate', 0), ('unreadable', 0);
