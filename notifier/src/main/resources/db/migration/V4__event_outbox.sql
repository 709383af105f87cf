-- issue #10: the transactional outbox. A decision taken in Slack (dev.cpr.approval.decided) is written
-- here in the same transaction as the state change; platform's OutboxRelay publishes the rows in seq order per
-- record key and marks them. cloud_event is the whole structured CloudEvent, so a re-publish keeps its id.
create table event_outbox (
    seq          bigserial primary key,
    event_id     text        not null unique,
    topic        text        not null,
    record_key   text        not null,
    event_type   text        not null,
    cloud_event  text        not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz,
    attempts     integer     not null default 0,
    last_error   text
);

create index event_outbox_pending on event_outbox (seq) where published_at is null;
