-- issue #15: an incident that found its cluster busy with another plan (one plan per cluster) waits here, not in one
-- replica's memory, so a restart or another replica ending the plan still plans it. One row per cluster: the newest
-- incident carries the newest view of the cluster. Written in the transaction that found the cluster busy, deleted in
-- the one that stores the incident's plan.
create table deferred_incident (
    cluster_id  varchar(200) primary key,
    incident_id varchar(200)             not null,
    incident    text                     not null,
    deferred_at timestamp with time zone not null default now()
);
