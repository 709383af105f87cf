-- restore-service: recovery plans and their steps. One row per plan, one per step; the plan row's
-- sequence is the number of its last published transition.
create table recovery_plan (
    id            varchar(36)  primary key,
    incident_id   varchar(200) not null,
    cluster_id    varchar(200) not null,
    plan          varchar(100) not null,
    target_member varchar(200),
    state         varchar(32)  not null,
    mode          varchar(32)  not null,
    created_at    timestamp with time zone not null,
    updated_at    timestamp with time zone not null,
    detected_at   timestamp with time zone,
    rto_ms        bigint,
    message       text,
    sequence      bigint       not null,
    -- idempotent consumer: a redelivered incident cannot make a second plan
    constraint recovery_plan_incident_unique unique (incident_id)
);

-- one active plan per cluster, across every replica of the service
create unique index recovery_plan_one_active_per_cluster on recovery_plan (cluster_id)
    where state in ('PROPOSED', 'AWAITING_APPROVAL', 'RUNNING');

create index recovery_plan_cluster_created on recovery_plan (cluster_id, created_at desc);
create index recovery_plan_state on recovery_plan (state);

create table recovery_step (
    plan_id     varchar(36)  not null references recovery_plan (id) on delete cascade,
    step_index  integer      not null,
    name        varchar(100) not null,
    description text         not null,
    destructive boolean      not null,
    state       varchar(16)  not null,
    attempts    integer      not null,
    started_at  timestamp with time zone,
    finished_at timestamp with time zone,
    output      text,
    primary key (plan_id, step_index)
);
