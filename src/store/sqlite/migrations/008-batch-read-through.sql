-- 008: how far a running batch's records were read, and the fingerprint of
-- the records up to there (the batch fingerprint's prefix), written with
-- each stored chunk. A batch resumed after its process died is then held
-- to the same content: a body whose records up to that index differ is
-- refused, as a replay of other content is. NULL for batches begun before
-- (their resume is not checked).
-- Released: never edit, add 009-... instead.

ALTER TABLE batches ADD COLUMN read_through_index INTEGER;
ALTER TABLE batches ADD COLUMN read_through TEXT;
