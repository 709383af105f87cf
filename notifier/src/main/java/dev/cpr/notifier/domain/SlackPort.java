package dev.cpr.notifier.domain;

import java.util.List;

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
