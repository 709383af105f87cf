package dev.cpr.sandbox.slack;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One message as the {@link SlackSimulator} holds it: its current content and every
 * {@code chat.update} applied to it, oldest first.
 *
 * @param channel     the channel id the message lives in (e.g. {@code C0SANDBOX})
 * @param channelName the channel name it was posted to, without {@code #} (e.g. {@code cpr-alerts})
 * @param ts          the message id Slack returns, e.g. {@code 1732166400.000100}
 * @param threadTs    the parent's ts when the message is a reply in a thread, null for a top-level message
 * @param text        current text (after the last update)
 * @param blocks      current Block Kit blocks (a JSON array), null when posted without blocks
 * @param metadata    the message metadata posted with it ({@code event_type}, {@code event_payload}), or null
 * @param postedAt    when {@code chat.postMessage} created it
 * @param updates     every {@code chat.update} applied, oldest first
 */
public record SimMessage(
        String channel,
        String channelName,
        String ts,
        String threadTs,
        String text,
        JsonNode blocks,
        JsonNode metadata,
        Instant postedAt,
        List<Update> updates) {

    /** The content one {@code chat.update} set. */
    public record Update(String text, JsonNode blocks, Instant at) {
    }

    /** Not a reply in a thread. */
    @JsonIgnore
    public boolean isTopLevel() {
        return threadTs == null;
    }

    /** Whether this message is a reply in the thread of {@code parentTs}. */
    public boolean isReplyTo(String parentTs) {
        return parentTs != null && parentTs.equals(threadTs);
    }
}
