package dev.cpr.contracts.approval;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.cpr.contracts.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Payload of {@code dev.cpr.approval.decided} on {@code cpr.approvals}, keyed by cluster id. Anyone who can write to
 * Kafka can put one there, so restore-service acts on it only when it is signed by a key it trusts (the notifier's,
 * signing what Slack's verified click gave it), names the plan exactly as it is now ({@code planDigest}), is fresh
 * and has not been seen before ({@code approvalId}). See {@link ApprovalSignatures}.
 *
 * @param decidedBy  who decided: a Slack user id ({@code U…}) or the REST principal's name
 * @param reason     free text from the person, may be null (not signed: it changes nothing)
 * @param approvalId this decision's own id: a second record with the same id is a replay
 * @param planDigest the digest of the plan the person saw ({@code sha256:<hex>} of its steps and snapshot or artifact)
 * @param signature  base64 Ed25519 signature over {@link #signedBytes()}, null when unsigned
 */
public record ApprovalDecided(
        String planId,
        String clusterId,
        Decision decision,
        String decidedBy,
        ApprovalChannel channel,
        String reason,
        Instant decidedAt,
        String approvalId,
        String planDigest,
        String signature) implements EventCodec.Validatable {

    @JsonCreator
    public ApprovalDecided {
    }

    /** An unsigned decision without an approval id or digest (the shape before approvals were signed). */
    public ApprovalDecided(String planId, String clusterId, Decision decision, String decidedBy,
            ApprovalChannel channel, String reason, Instant decidedAt) {
        this(planId, clusterId, decision, decidedBy, channel, reason, decidedAt, null, null, null);
    }

    /** The same decision carrying this signature. */
    public ApprovalDecided signed(String base64Signature) {
        return new ApprovalDecided(planId, clusterId, decision, decidedBy, channel, reason, decidedAt, approvalId,
                planDigest, base64Signature);
    }

    /**
     * What the signature covers: every field that changes what the decision does, one per line, in a fixed order
     * (a version tag first, so the format can change without a signature of one being read as the other).
     */
    public byte[] signedBytes() {
        String text = String.join("\n", "cpr-approval-v1", String.valueOf(approvalId), String.valueOf(planId),
                String.valueOf(clusterId), String.valueOf(decision), String.valueOf(decidedBy),
                String.valueOf(channel), String.valueOf(planDigest), String.valueOf(decidedAt));
        return text.getBytes(StandardCharsets.UTF_8);
    }

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
