package dev.cpr.healthmonitor.adapters.rest;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.healthmonitor.adapters.persistence.IncidentEntity;
import dev.cpr.healthmonitor.adapters.persistence.IncidentState;
import java.time.Instant;
import java.util.List;

/** An incident as {@code /api/v1/incidents} shows it. */
public record IncidentView(
        String id,
        String clusterId,
        FailureKind failure,
        IncidentState state,
        List<String> failedMembers,
        List<MemberHealth> members,
        String summary,
        Instant firstSeenAt,
        Instant detectedAt,
        Instant resolvedAt) {

    static IncidentView of(IncidentEntity row) {
        return new IncidentView(row.id(), row.clusterId(), row.failure(), row.state(), row.failedMembers(),
                row.members(), row.summary(), row.firstSeenAt(), row.detectedAt(), row.resolvedAt());
    }
}
