package dev.cpr.healthmonitor.domain;

import dev.cpr.contracts.incident.FailureKind;
import java.time.Instant;
import java.util.List;

/**
 * An incident that is open: at most one per cluster and failure kind, except MEMBER_UNHEALTHY, of which a cluster may
 * have several naming different members ({@link IncidentTracker}).
 */
public record OpenIncident(
        String id,
        String clusterId,
        FailureKind failure,
        List<String> failedMembers,
        String summary,
        Instant firstSeenAt,
        Instant detectedAt) {

    public OpenIncident {
        failedMembers = List.copyOf(failedMembers);
    }
}
