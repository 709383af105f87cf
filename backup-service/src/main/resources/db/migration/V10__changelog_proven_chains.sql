-- An older change-log chain a drill proved by replay: the segments from one verified snapshot to the next, replayed
-- into a scratch etcd, gave exactly the next snapshot's keyspace. Kept so that no replica replays it again after a
-- restart; forgotten with the cluster's log when etcd is restored (a new history).
CREATE TABLE changelog_proven (
    cluster_id     TEXT        NOT NULL,
    from_backup_id TEXT        NOT NULL,
    next_backup_id TEXT        NOT NULL,
    proven_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cluster_id, from_backup_id, next_backup_id)
);
