-- backup-service's catalog: one row per backup attempt, whatever became of it.
CREATE TABLE backups (
    id              UUID PRIMARY KEY,
    cluster_id      TEXT        NOT NULL,
    kind            TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('in-progress', 'completed', 'verified', 'corrupt', 'failed')),
    trigger_kind    TEXT        NOT NULL,
    -- the cron slot a scheduled backup belongs to: two replicas firing the same slot insert the same key
    scheduled_slot  TIMESTAMPTZ,
    member          TEXT,
    location        TEXT,
    compression     TEXT        NOT NULL,
    size_bytes      BIGINT,
    snapshot_bytes  BIGINT,
    sha256          TEXT,
    revision        BIGINT,
    revision_end    BIGINT,
    key_count       BIGINT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    completed_at    TIMESTAMPTZ,
    verified_at     TIMESTAMPTZ,
    verification    TEXT,
    sequence        BIGINT      NOT NULL,
    CONSTRAINT backups_one_per_slot UNIQUE (cluster_id, scheduled_slot)
);

CREATE INDEX backups_by_cluster ON backups (cluster_id, created_at DESC);
CREATE INDEX backups_by_status ON backups (status);
