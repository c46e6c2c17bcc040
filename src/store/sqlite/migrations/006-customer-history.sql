-- 006: who made each stored change of a customer, and in which request
-- (contract v1.1, the audit trail; GET /xml/customers/{id}/history). One row
-- per stored change, written in the transaction of the change it describes:
-- no change without its line, no line of a change rolled back. Keyed by the
-- customer and the stamp of the same change in change_log, so a customer's
-- lines are one range of the key, oldest first. No foreign key to customers:
-- a deleted customer keeps its history.
-- Released: never edit, add 007-... instead.

CREATE TABLE customer_history (
  customer_id TEXT NOT NULL,
  -- the change's stamp in change_log (microseconds; unique, increasing in commit order)
  stamp       INTEGER NOT NULL,
  -- the version the change made; for a DELETE the version that was deleted
  version     INTEGER NOT NULL,
  -- the change's own time, UTC: the customer's updated_at, or the time of the delete
  at          TEXT NOT NULL,
  -- UPSERT: a batch record, whether it created or updated the customer
  operation   TEXT NOT NULL CHECK (operation IN ('CREATE', 'UPDATE', 'DELETE', 'UPSERT')),
  -- user name, token sub, the OS user of the command line, file:NAME of a dropped file;
  -- NULL when auth is off on a network channel (anonymous), and on lines taken from the change log below
  actor       TEXT,
  -- the request's id (X-Request-Id as echoed); NULL only on lines taken from the change log below
  request_id  TEXT,
  PRIMARY KEY (customer_id, stamp)
) WITHOUT ROWID;

-- The changes stored before 006, as the change log knows them: operation,
-- version and time, but not who made them nor in which request. So every
-- customer that ever existed has a history, and only one that never did has
-- none (NOT_FOUND). A delete's version is the one its customer had before.
INSERT INTO customer_history (customer_id, stamp, version, at, operation, actor, request_id)
SELECT l.customer_id,
       l.stamp,
       coalesce(l.version, (SELECT m.version FROM change_log m
                            WHERE m.customer_id = l.customer_id AND m.stamp < l.stamp AND m.version IS NOT NULL
                            ORDER BY m.stamp DESC LIMIT 1), 0),
       strftime('%Y-%m-%dT%H:%M:%fZ', l.stamp / 1000 / 1000.0, 'unixepoch'),
       CASE l.kind WHEN 'CREATED' THEN 'CREATE' WHEN 'UPDATED' THEN 'UPDATE' ELSE 'DELETE' END,
       NULL,
       NULL
FROM change_log l;
