package dev.cpr.notifier.domain;

import java.time.Instant;

/**
 * A decision taken in Slack on a plan that waited for approval, shown on the plan's progress message.
 *
 * @param approved  true for Approve, false for Reject
 * @param decidedBy the Slack user id of who clicked
 */
public record ApprovalNote(boolean approved, String decidedBy, Instant decidedAt) {
}
