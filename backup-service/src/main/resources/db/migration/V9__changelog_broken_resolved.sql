-- A broken part of a change log whose CHANGE_LOG_BROKEN incident was resolved: a verified snapshot made after it was
-- found lies past it, so the chain is restorable again from that snapshot. The mark stays (it still cuts the points in
-- time of the older snapshots); resolved_at says its incident was resolved, once, whichever replica saw it first.
ALTER TABLE changelog_broken ADD COLUMN resolved_at TIMESTAMPTZ;
