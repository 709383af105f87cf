package dev.cpr.contracts.incident;

import dev.cpr.contracts.events.EventCodec;
import java.time.Instant;

/** Payload of {@code dev.cpr.incident.resolved}: the failure was no longer seen on consecutive polls. */
public record IncidentResolved(
        String incidentId,
        String clusterId,
        FailureKind failure,
        Instant openedAt,
        Instant resolvedAt) implements EventCodec.Validatable {

    @Override
    public void validate() {
        if (incidentId == null || incidentId.isBlank()) {
            throw new IllegalArgumentException("incidentId is missing");
        }
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("clusterId is missing");
        }
        if (resolvedAt == null) {
            throw new IllegalArgumentException("resolvedAt is missing");
        }
    }
}
