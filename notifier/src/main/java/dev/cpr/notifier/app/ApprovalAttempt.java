package dev.cpr.notifier.app;

import java.time.Instant;

/**
 * One approval attempt from Slack (a button click or a {@code /cpr backup|recover}), accepted or not, as the audit
 * keeps it; {@code approvalId} and {@code planDigest} only when an approval was published.
 */
public record ApprovalAttempt(Instant at, String source, String slackUserId, String planId, String clusterId,
        String decision, String outcome, int status, String reason, String approvalId, String planDigest) {
}
