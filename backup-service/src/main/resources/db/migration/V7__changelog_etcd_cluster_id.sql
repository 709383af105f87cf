-- The etcd cluster id a cluster's change-log chain is recorded from (issue #14). Every restore makes a new one; kept
-- here and not only in memory, so a restore made while backup-service was down is seen after its restart even when
-- the cluster has since written past the log's end. Set when a chain starts, before its first segment: the position
-- row then exists without a durable revision yet. NULL: a chain started before V7 (its first look adopts the id seen).
ALTER TABLE changelog_positions ADD COLUMN etcd_cluster_id BIGINT;
ALTER TABLE changelog_positions ALTER COLUMN last_durable_revision DROP NOT NULL;
