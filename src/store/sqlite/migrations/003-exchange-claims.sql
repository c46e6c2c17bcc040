-- 003: claims in the drop folder's work/ that another instance may take over
-- once the one that made it is gone. While a claimant holds a file it renews
-- the claim's lease, also while it only reads the file (pass 1, or a
-- duplicate read for its report), when no batch lease moves. A claim that was
-- taken over names its successor, so a claimant that comes back after a stall
-- learns it has lost the file and cannot finish it a second time.
-- Released: never edit, add 004-... instead.

-- until when the claimant counts as alive; NULL for a claim made before 003
ALTER TABLE exchange_files ADD COLUMN lease_until TEXT;
-- the claim this one was renamed to by the instance that took the file over
ALTER TABLE exchange_files ADD COLUMN taken_over_by TEXT;
