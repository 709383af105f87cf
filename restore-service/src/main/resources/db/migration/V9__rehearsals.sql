-- issue #14 item 3: every quorum-restore rehearsal (the plan a quorum loss would run, against a scratch cluster), so
-- the RTO is known before it is needed. Not a recovery plan: the plan table never holds a rehearsal.
create table rehearsals (
    id               varchar(64) primary key,
    cluster_id       varchar(200)             not null,
    scratch_id       varchar(300)             not null,
    snapshot_id      varchar(200),
    target_revision  bigint,
    revision_reached bigint,
    key_count        bigint,
    started_at       timestamp with time zone not null,
    finished_at      timestamp with time zone not null,
    rto_ms           bigint,
    -- [{"name": "fetch-snapshot", "state": "SUCCEEDED", "millis": 120}, ...] in runbook order
    step_durations   text                     not null,
    verdict          varchar(16)              not null,
    reason           text                     not null
);

create index rehearsals_cluster_started on rehearsals (cluster_id, started_at desc);
