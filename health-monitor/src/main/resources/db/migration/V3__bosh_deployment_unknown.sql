-- A director that answers but does not know the deployment (a rebuilt director, seed 003) is a failure kind too.
ALTER TABLE incident DROP CONSTRAINT incident_failure_valid;
ALTER TABLE incident ADD CONSTRAINT incident_failure_valid CHECK (failure IN (
    'MEMBER_UNHEALTHY', 'QUORUM_LOST',
    'BOSH_JOB_FAILING', 'BOSH_VM_MISSING', 'BOSH_AGENT_UNRESPONSIVE', 'BOSH_DIRECTOR_UNREACHABLE', 'BOSH_MELTDOWN',
    'BOSH_DEPLOYMENT_UNKNOWN'));
