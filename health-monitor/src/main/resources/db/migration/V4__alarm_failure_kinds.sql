-- etcd's alarms are failures of their own (issue #11): NOSPACE is SPACE_EXHAUSTED, CORRUPT (or a differing KV hash)
-- DATA_CORRUPT, a database near its quota SPACE_LOW; none of them is a quorum loss.
ALTER TABLE incident DROP CONSTRAINT incident_failure_valid;
ALTER TABLE incident ADD CONSTRAINT incident_failure_valid CHECK (failure IN (
    'MEMBER_UNHEALTHY', 'QUORUM_LOST',
    'BOSH_JOB_FAILING', 'BOSH_VM_MISSING', 'BOSH_AGENT_UNRESPONSIVE', 'BOSH_DIRECTOR_UNREACHABLE', 'BOSH_MELTDOWN',
    'BOSH_DEPLOYMENT_UNKNOWN',
    'SPACE_EXHAUSTED', 'SPACE_LOW', 'DATA_CORRUPT'));
