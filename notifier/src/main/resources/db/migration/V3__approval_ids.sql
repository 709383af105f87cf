-- issue #11: an accepted click's decision is published signed, with its own approval id and the plan digest the
-- message showed; restore-service's approval audit records both, so the two audits can be joined.
ALTER TABLE approval_audit ADD COLUMN approval_id TEXT;
ALTER TABLE approval_audit ADD COLUMN plan_digest TEXT;
