-- issue #11: on quorum loss, the ranked ways out (least destructive first) and what each would lose, as JSON.
alter table recovery_plan
    add column options text;
