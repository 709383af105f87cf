-- issue #10: the transactional outbox. An incident's change and its dev.cpr.incident.opened / .resolved event are
-- written in one transaction (the event as a row here); platform's OutboxRelay publishes the rows in seq order per
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

-- Events the old publisher had not got acknowledged when this migration runs (Kafka was down at the upgrade) move
-- into the outbox with the ids they had, so the columns that tracked them can go without losing one.
create function pg_temp.utc(t timestamptz) returns text language sql as
    $$ select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;

insert into event_outbox (event_id, topic, record_key, event_type, cloud_event)
select id || ':opened', 'cpr.incidents', cluster_id, 'dev.cpr.incident.opened',
       jsonb_build_object('specversion', '1.0', 'id', id || ':opened', 'source', '/cpr/health-monitor',
           'type', 'dev.cpr.incident.opened', 'subject', cluster_id, 'time', pg_temp.utc(now()),
           'datacontenttype', 'application/json',
           'data', jsonb_build_object('incidentId', id, 'clusterId', cluster_id, 'failure', failure,
               'failedMembers', failed_members::jsonb, 'members', members::jsonb, 'summary', summary,
               'firstSeenAt', pg_temp.utc(first_seen_at), 'detectedAt', pg_temp.utc(detected_at)))::text
from incident where opened_published_at is null
order by detected_at;

insert into event_outbox (event_id, topic, record_key, event_type, cloud_event)
select id || ':resolved', 'cpr.incidents', cluster_id, 'dev.cpr.incident.resolved',
       jsonb_build_object('specversion', '1.0', 'id', id || ':resolved', 'source', '/cpr/health-monitor',
           'type', 'dev.cpr.incident.resolved', 'subject', cluster_id, 'time', pg_temp.utc(now()),
           'datacontenttype', 'application/json',
           'data', jsonb_build_object('incidentId', id, 'clusterId', cluster_id, 'failure', failure,
               'openedAt', pg_temp.utc(detected_at), 'resolvedAt', pg_temp.utc(resolved_at)))::text
from incident where state = 'RESOLVED' and resolved_published_at is null
order by resolved_at;

alter table incident drop column opened_published_at;
alter table incident drop column resolved_published_at;
