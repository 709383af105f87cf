package dev.cpr.notifier.app;

import java.time.Instant;

/**
 * One {@code slack_outbox} row as a sender claimed it, with where its message lives.
 *
 * @param attemptedAt when a sender first went to Slack with this row, before this claim; null on a first attempt
 * @param channel     the message's channel (the configured one until Slack answered its id)
 * @param ts          the message's ts, null until it is posted
 * @param parentTs    the thread's parent ts for a reply, else null
 */
public record OutboxRow(long id, long messageId, String op, String text, String blocks, String context, int attempts,
        Instant attemptedAt, String channel, String ts, String parentChannel, String parentTs) {

    /** Went to Slack before and was never marked: Slack may already have it. */
    public boolean attemptedBefore() {
        return attemptedAt != null;
    }
}
