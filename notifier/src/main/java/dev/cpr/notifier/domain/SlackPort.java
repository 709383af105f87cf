package dev.cpr.notifier.domain;

/**
 * Where rendered messages go. Implementations block (network calls): callers keep them off event loops.
 * Both methods retry what is worth retrying and throw {@link SlackDeliveryException} when they give up.
 */
public interface SlackPort {

    /**
     * Posts a message, in the thread of {@code threadTs} when that is not null.
     *
     * @param context who the message is about, for log lines (e.g. {@code cluster=sandbox incident=...})
     * @return where it landed; {@code ts} is null when delivery is off and nothing was sent
     */
    Posted post(String channel, String threadTs, SlackMessage message, String context);

    /** Replaces the content of the message {@code ts} in {@code channel}. */
    void update(String channel, String ts, SlackMessage message, String context);

    /** The channel id Slack answered and the message's ts. */
    record Posted(String channel, String ts) {
    }
}
