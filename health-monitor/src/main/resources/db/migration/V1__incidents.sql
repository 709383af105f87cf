-- health-monitor's incidents (schema health_monitor, set by quarkus.flyway.schemas).
CREATE TABLE incident (
    id                    VARCHAR(64)  PRIMARY KEY,
    cluster_id            VARCHAR(64)  NOT NULL,
    failure               VARCHAR(32)  NOT NULL,
    state                 VARCHAR(16)  NOT NULL,
    failed_members        TEXT         NOT NULL, -- JSON array of member names
    members               TEXT         NOT NULL, -- JSON array of MemberHealth as the confirming poll saw them
    summary               TEXT         NOT NULL,
    first_seen_at         TIMESTAMPTZ  NOT NULL,
    detected_at           TIMESTAMPTZ  NOT NULL,
    resolved_at           TIMESTAMPTZ,
    opened_published_at   TIMESTAMPTZ,
    resolved_published_at TIMESTAMPTZ,
    CONSTRAINT incident_state_valid CHECK (state IN ('OPEN', 'RESOLVED')),
    CONSTRAINT incident_failure_valid CHECK (failure IN ('MEMBER_UNHEALTHY', 'QUORUM_LOST')),
    CONSTRAINT incident_resolved_has_time CHECK ((state = 'RESOLVED') = (resolved_at IS NOT NULL))
);

-- At most one OPEN incident per cluster and failure kind, whatever the application does.
CREATE UNIQUE INDEX incident_one_open_per_cluster_failure ON incident (cluster_id, failure) WHERE state = 'OPEN';

CREATE INDEX incident_cluster_detected ON incident (cluster_id, detected_at DESC);
