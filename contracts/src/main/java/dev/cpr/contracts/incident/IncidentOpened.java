package dev.cpr.contracts.incident;

import dev.cpr.contracts.events.EventCodec;
import java.time.Instant;
import java.util.List;

/**
 * Payload of {@code dev.cpr.incident.opened}.
 *
 * @param incidentId     stable id of the incident (one open incident per cluster and failure kind; MEMBER_UNHEALTHY
 *                       may have several open, naming different members)
 * @param failedMembers  names of the members that are down; empty only for whole-cluster failures
 * @param members        every member's health as seen by the poll that confirmed the failure
 * @param firstSeenAt    the first poll that saw the failure (detection time starts here)
 * @param detectedAt     the poll that confirmed it after debouncing
 */
public record IncidentOpened(
        String incidentId,
        String clusterId,
        FailureKind failure,
        List<String> failedMembers,
        List<MemberHealth> members,
        String summary,
        Instant firstSeenAt,
        Instant detectedAt) implements EventCodec.Validatable {

    @Override
    public void validate() {
        if (incidentId == null || incidentId.isBlank()) {
            throw new IllegalArgumentException("incidentId is missing");
        }
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("clusterId is missing");
        }
        if (failure == null) {
            throw new IllegalArgumentException("failure is missing");
        }
        if (failedMembers == null) {
            throw new IllegalArgumentException("failedMembers is missing");
        }
        if (detectedAt == null) {
            throw new IllegalArgumentException("detectedAt is missing");
        }
    }
}
