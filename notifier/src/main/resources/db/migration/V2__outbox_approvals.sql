-- Messages are no longer sent while an event is handled: the event's transaction writes the message row
-- (without ts) and one outbox row per Slack call; one drainer sends them in id order and records the ts.
-- A thread's reply refers to its parent row (parent_id): the parent's ts is known by the time the reply is
-- sent, because the parent's POST is earlier in the outbox.
ALTER TABLE slack_message ADD COLUMN parent_id BIGINT REFERENCES slack_message (id);
ALTER TABLE slack_message ADD COLUMN update_json TEXT;          -- PROGRESS: the RecoveryUpdate shown, to re-render
ALTER TABLE slack_message ADD COLUMN decision TEXT;             -- PROGRESS: APPROVED / REJECTED once decided in Slack
ALTER TABLE slack_message ADD COLUMN decided_by TEXT;           -- Slack user id
ALTER TABLE slack_message ADD COLUMN decided_at TIMESTAMPTZ;
CREATE INDEX slack_message_cluster_idx ON slack_message (cluster_id, updated_at DESC);

CREATE TABLE slack_outbox (
    id              BIGSERIAL PRIMARY KEY,
    message_id      BIGINT      NOT NULL REFERENCES slack_message (id),
    op              TEXT        NOT NULL CHECK (op IN ('POST', 'UPDATE')),
    text            TEXT        NOT NULL,
    blocks          TEXT        NOT NULL,
    context         TEXT        NOT NULL,              -- cluster/incident/plan, for log lines
    state           TEXT        NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'SENT', 'SKIPPED', 'FAILED')),
    attempts        INT         NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    done_at         TIMESTAMPTZ
);
CREATE INDEX slack_outbox_pending_idx ON slack_outbox (id) WHERE state = 'PENDING';

-- Signed Slack requests already accepted once (digest of signature, timestamp and body): a replay is refused.
CREATE TABLE slack_request_seen (
    digest  TEXT PRIMARY KEY,
    seen_at TIMESTAMPTZ NOT NULL
);

-- Every approval attempt from Slack (button or slash command), accepted or not.
CREATE TABLE approval_audit (
    id            BIGSERIAL PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    source        TEXT        NOT NULL CHECK (source IN ('BUTTON', 'COMMAND')),
    slack_user_id TEXT,                               -- as claimed by the request (verified only when outcome says so)
    plan_id       TEXT,
    cluster_id    TEXT,
    decision      TEXT,                               -- APPROVED / REJECTED, or the command (status, backup, recover)
    outcome       TEXT        NOT NULL,               -- ACCEPTED, BAD_SIGNATURE, STALE, REPLAY, NOT_ALLOWED, IGNORED, FAILED
    status        INT         NOT NULL,               -- the HTTP status answered
    reason        TEXT
);
CREATE INDEX approval_audit_at_idx ON approval_audit (at DESC);
