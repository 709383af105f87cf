-- issue #10: cpr.backups gets a reader. A backup that FAILED or a drill found CORRUPT is one Slack message of
-- kind BACKUP; which backup and outcome were told is kept in handled_event (backup:<id>:<status>), not here.
alter table slack_message drop constraint slack_message_kind_check;
alter table slack_message add constraint slack_message_kind_check
    check (kind in ('INCIDENT', 'PROGRESS', 'RESOLUTION', 'BACKUP'));
