package dev.cpr.contracts.approval;

import dev.cpr.contracts.events.EventCodec;
import java.time.Instant;

/**
 * Payload of {@code dev.cpr.approval.decided} on {@code cpr.approvals}, keyed by cluster id. Whoever
 * took the decision has already been authenticated and found allowed to approve (the REST role
 * check, or Slack's signature and the approver allow-list); restore-service only checks that the
 * plan is still waiting.
 *
 * @param decidedBy who decided: a Slack user id ({@code U…}) or the REST principal's name
 * @param reason    free text from the person, may be null
 */
public record ApprovalDecided(
        String planId,
        String clusterId,
        Decision decision,
        String decidedBy,
        ApprovalChannel channel,
        String reason,
        Instant decidedAt) implements EventCodec.Validatable {

    @Override
    public void validate() {
        if (planId == null || planId.isBlank()) {
            throw new IllegalArgumentException("planId is missing");
        }
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("clusterId is missing");
        }
        if (decision == null) {
            throw new IllegalArgumentException("decision is missing");
        }
        if (decidedBy == null || decidedBy.isBlank()) {
            throw new IllegalArgumentException("decidedBy is missing: an approval must name who gave it");
        }
        if (channel == null) {
            throw new IllegalArgumentException("channel is missing");
        }
        if (decidedAt == null) {
            throw new IllegalArgumentException("decidedAt is missing");
        }
    }
}
