-- issue #15, the liveness gap: a member lost while a MEMBER_UNHEALTHY incident is open for its cluster opens another
-- MEMBER_UNHEALTHY naming the newly failed members (restore-service plans each incident once, one member at a time).
-- So one OPEN row per cluster and failure holds for every kind but MEMBER_UNHEALTHY, and the open MEMBER_UNHEALTHY rows
-- of a cluster differ in the members they name (the tracker never names a member twice among them).
DROP INDEX incident_one_open_per_cluster_failure;
CREATE UNIQUE INDEX incident_one_open_per_cluster_failure ON incident (cluster_id, failure)
    WHERE state = 'OPEN' AND failure <> 'MEMBER_UNHEALTHY';
CREATE UNIQUE INDEX incident_open_member_unhealthy_per_members ON incident (cluster_id, failed_members)
    WHERE state = 'OPEN' AND failure = 'MEMBER_UNHEALTHY';
