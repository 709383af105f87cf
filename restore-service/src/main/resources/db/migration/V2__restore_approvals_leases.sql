-- issue #4: the snapshot a restore uses, who decided, RPO, the runner's lease, cancel requests.
alter table recovery_plan
    add column snapshot_id          varchar(64),
    add column snapshot_revision    bigint,
    add column snapshot_key_count   bigint,
    add column snapshot_created_at  timestamp with time zone,
    add column snapshot_sha256      varchar(64),
    add column snapshot_compression varchar(16),
    add column snapshot_size_bytes  bigint,
    add column decided_by           varchar(200),
    add column decided_at           timestamp with time zone,
    add column rpo_seconds          bigint,
    -- only the replica holding an unexpired lease runs a RUNNING plan; it renews the lease while it runs
    add column runner_id            varchar(200),
    add column lease_until          timestamp with time zone,
    -- set by POST /cancel on a RUNNING plan: the runner stops before its next step
    add column cancel_requested_by  varchar(200),
    add column cancel_requested_at  timestamp with time zone;
