-- issue #11: every approval attempt on every channel (REST, or a record on cpr.approvals), accepted or refused.
-- Values taken from a bus record are as it claimed them: only outcome ACCEPTED / FIRST_OF_TWO says they were vouched for.
create table approval_audit (
    id              bigserial    primary key,
    at              timestamp with time zone not null,
    channel         varchar(8)   not null,        -- REST or BUS: how the attempt reached restore-service
    claimed_channel text,                         -- what a bus record says it came from (SLACK, REST)
    approval_id     text,
    plan_id         text,
    cluster_id      text,
    decision        text,                         -- APPROVED / REJECTED
    decided_by      text,                         -- REST principal, or the Slack user id the record names
    decided_at      timestamp with time zone,
    plan_digest     text,                         -- the digest it named (REST without one: the plan's at the time)
    signed          boolean      not null,        -- a trusted key's signature verified
    outcome         varchar(16)  not null,        -- ACCEPTED, FIRST_OF_TWO, REFUSED
    refusal         varchar(32),                  -- UNSIGNED, BAD_SIGNATURE, STALE, REPLAY, DIGEST_MISMATCH, ...
    reason          text
);
create index approval_audit_at on approval_audit (at desc);
create index approval_audit_plan on approval_audit (plan_id, at);

-- approval ids already used once: the same id again is a replay
create table approval_seen (
    approval_id varchar(200) primary key,
    seen_at     timestamp with time zone not null
);
