-- 004: who holds a running batch's lease, so a retry after a crash need not
-- wait for the dead process's lease to run out. On the holder's own host a
-- process can be asked whether it still runs (domain/lease-holder.ts); a
-- holder on another host is judged by its lease alone, as before.
-- Released: never edit, add 005-... instead.

-- the host (os.hostname()) of the process that began or resumed the batch; NULL for a batch begun before 004
ALTER TABLE batches ADD COLUMN holder_host TEXT;
-- that process's id; NULL with holder_host
ALTER TABLE batches ADD COLUMN holder_pid INTEGER;
