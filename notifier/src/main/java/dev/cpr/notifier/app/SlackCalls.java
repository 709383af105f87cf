package dev.cpr.notifier.app;

import dev.cpr.notifier.domain.SlackMessage;
import io.smallrye.mutiny.Uni;
import java.time.Instant;

/**
 * The Slack calls to make, queued in the transaction of the event that asked for them and sent in order by the
 * {@link OutboxSender}, so a Slack that is down delays messages without losing them.
 */
public interface SlackCalls {

    enum Op {
        /** a new message */
        POST,
        /** the message's content replaced */
        UPDATE
    }

    /** @param ctx the cluster, incident and plan the call is about, for the sender's log lines */
    Uni<Void> queue(Op op, long messageId, SlackMessage content, String ctx, Instant now);
}
