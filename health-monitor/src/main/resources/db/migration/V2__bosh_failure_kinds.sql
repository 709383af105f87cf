-- BOSH clusters' failure kinds (issue 6): the failure column takes every FailureKind health-monitor opens.
ALTER TABLE incident DROP CONSTRAINT incident_failure_valid;
ALTER TABLE incident ADD CONSTRAINT incident_failure_valid CHECK (failure IN (
    'MEMBER_UNHEALTHY', 'QUORUM_LOST',
    'BOSH_JOB_FAILING', 'BOSH_VM_MISSING', 'BOSH_AGENT_UNRESPONSIVE', 'BOSH_DIRECTOR_UNREACHABLE', 'BOSH_MELTDOWN'));
