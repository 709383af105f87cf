-- issue #14 item 2: a point-in-time restore records the revision it replays the change log to (null: snapshot only).
alter table recovery_plan
    add column target_revision bigint;
