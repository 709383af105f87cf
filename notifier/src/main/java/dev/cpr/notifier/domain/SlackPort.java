package dev.cpr.notifier.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where rendered messages go. Implementations block (network calls): callers keep them off event loops.
 * Methods retry what is worth retrying and throw {@link SlackDeliveryException} when they give up.
 */
public interface SlackPort {

    /**
     * Posts a message, in the thread of {@code threadTs} when that is not null.
     *
     * @param context who the message is about, for log lines (e.g. {@code cluster=sandbox incident=...})
     * @return where it landed; {@code ts} is null when the message cannot be referred to later (delivery off,
     *         incoming webhook)
     */
    Posted post(String channel, String threadTs, SlackMessage message, String context);

    /**
     * Posts a message carrying {@code tag} as its Slack metadata, so {@link #findPosted} can find it again. A delivery
     * that cannot carry metadata (an incoming webhook) posts it without.
     */
    default Posted post(String channel, String threadTs, SlackMessage message, SlackMessageTag tag, String context) {
        return post(channel, threadTs, message, context);
    }

    /** Whether {@link #findPosted} can ask Slack (the Web API can; a webhook or delivery off cannot). */
    default boolean findsPosted() {
        return false;
    }

    /**
     * The message carrying {@code tag} among those posted since {@code since}: top-level in {@code channel} (an id),
     * or in the thread of {@code threadTs} when that is not null; empty when Slack has none. Throws
     * {@link SlackDeliveryException} when Slack cannot tell (unreachable, or it refuses the question).
     */
    default Optional<Posted> findPosted(String channel, String threadTs, SlackMessageTag tag, Instant since,
            String context) {
        throw new UnsupportedOperationException("this delivery cannot read messages back");
    }

    /** Replaces the content of the message {@code ts} in {@code channel}. */
    void update(String channel, String ts, SlackMessage message, String context);

    /**
     * Whether a message can be updated in place. An incoming webhook cannot: an update is posted as a new message.
     */
    default boolean updatesInPlace() {
        return true;
    }

    /** The members of a Slack user group ({@code usergroups.users.list}); empty when this delivery cannot tell. */
    default List<String> userGroupMembers(String userGroupId, String context) {
        return List.of();
    }

    /** The channel id Slack answered and the message's ts. */
    record Posted(String channel, String ts) {
    }
}
