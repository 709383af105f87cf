-- Slack messages notifier posted (or recorded, when delivery is off), one row per message.
CREATE TABLE slack_message (
    id            BIGSERIAL PRIMARY KEY,
    incident_id   TEXT,                      -- null for a plan without an incident
    cluster_id    TEXT        NOT NULL,
    kind          TEXT        NOT NULL CHECK (kind IN ('INCIDENT', 'PROGRESS', 'RESOLUTION')),
    plan_id       TEXT,
    channel       TEXT        NOT NULL,
    ts            TEXT,                      -- null when delivery is off
    thread_ts     TEXT,                      -- the incident message's ts for replies
    last_sequence BIGINT,                    -- PROGRESS: sequence of the RecoveryUpdate shown
    state         TEXT,                      -- OPEN / RESOLVED for INCIDENT, the plan state for PROGRESS
    incident_json TEXT,                      -- INCIDENT: the IncidentOpened payload, to re-render on resolve
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE UNIQUE INDEX slack_message_incident_uk ON slack_message (incident_id) WHERE kind = 'INCIDENT';
CREATE UNIQUE INDEX slack_message_resolution_uk ON slack_message (incident_id) WHERE kind = 'RESOLUTION';
CREATE UNIQUE INDEX slack_message_progress_uk ON slack_message (plan_id) WHERE kind = 'PROGRESS';
CREATE INDEX slack_message_updated_idx ON slack_message (updated_at DESC);

-- Every event handled, written in the same transaction as the message it produced: a redelivered
-- event (same CloudEvents id) is recognised and produces nothing.
CREATE TABLE handled_event (
    event_id    TEXT PRIMARY KEY,
    type        TEXT        NOT NULL,
    incident_id TEXT,
    handled_at  TIMESTAMPTZ NOT NULL
);
