-- issue #15: notifier in replicas. A sender claims one outbox row at a time (FOR UPDATE SKIP LOCKED, then an owner and
-- a lease it renews while it works on the row), so two replicas never send the same row; a dead replica's claim runs
-- out and another takes the row over. first_attempt_at is when a sender first went to Slack with the row: a row with
-- one was attempted and never marked, so before posting it again the sender looks for it in Slack (by the message
-- metadata carrying the row's id) from that moment on.
ALTER TABLE slack_outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE slack_outbox ADD COLUMN claim_expires_at TIMESTAMPTZ;
ALTER TABLE slack_outbox ADD COLUMN first_attempt_at TIMESTAMPTZ;
