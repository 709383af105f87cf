package dev.cpr.healthmonitor.domain;

import dev.cpr.contracts.incident.FailureKind;
import java.time.Instant;
import java.util.List;

/** An incident that is open: at most one per cluster and failure kind. */
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
