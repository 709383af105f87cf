-- issue #14: a scheduled rehearsal of a cluster is run by the one replica that claims it. Two replicas due in the same
-- minute would otherwise both download the snapshot and start a scratch cluster: the rehearsals table is written only
-- when a rehearsal has ended, so it cannot tell them apart while one runs.
create table rehearsal_claims (
    cluster_id    varchar(200) primary key,
    replica_id    varchar(200)             not null,
    claimed_until timestamp with time zone not null
);
