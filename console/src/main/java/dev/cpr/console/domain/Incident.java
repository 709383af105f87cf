package dev.cpr.console.domain;

import java.time.Instant;
import java.util.List;

/** An incident as health-monitor's {@code /api/v1/incidents} shows it ({@code state} OPEN or RESOLVED). */
public record Incident(String id, String clusterId, String failure, String state, List<String> failedMembers,
        String summary, Instant firstSeenAt, Instant detectedAt, Instant resolvedAt) {

    public boolean open() {
        return "OPEN".equals(state);
    }
}
