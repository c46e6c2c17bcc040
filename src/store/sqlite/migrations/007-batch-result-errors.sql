-- 007: where a failed record of a JSON batch breaks a rule (contract v1.1,
-- POST /api/batches: a report's error carries `errors`, each a JSON Pointer
-- relative to the record and its message), as a JSON array; NULL for every
-- other result (XML reports carry code and message only).
-- Released: never edit, add 008-... instead.

ALTER TABLE batch_results ADD COLUMN errors TEXT;
