-- BBR backups (issue 6) share the catalog: a BOSH cluster's scheduled deployment backup and its scheduled director
-- backup may fall on the same cron second, so a slot is unique per cluster AND kind (still one per slot across
-- replicas for each kind).
ALTER TABLE backups DROP CONSTRAINT backups_one_per_slot;
ALTER TABLE backups ADD CONSTRAINT backups_one_per_slot_and_kind UNIQUE (cluster_id, kind, scheduled_slot);
CREATE INDEX backups_by_cluster_kind ON backups (cluster_id, kind, created_at DESC);
