package dev.cpr.console.domain;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** A recovery plan as restore-service's {@code /api/v1/recoveries} shows it. */
public record Plan(String id, String incidentId, String clusterId, String plan, String targetMember, String mode,
        String state, String message, Instant createdAt, Instant updatedAt, Instant detectedAt, Long rtoMillis,
        Long rpoSeconds, Snapshot snapshot, String decidedBy, Instant decidedAt, boolean dryRun, List<Step> steps) {

    private static final Set<String> FINISHED = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "REJECTED", "EXPIRED",
            "WITHDRAWN");

    public List<Step> steps() {
        return steps == null ? List.of() : steps;
    }

    public boolean awaitingApproval() {
        return "AWAITING_APPROVAL".equals(state);
    }

    public boolean finished() {
        return state != null && FINISHED.contains(state);
    }

    public long stepsDone() {
        return steps().stream().filter(Step::done).count();
    }
}
