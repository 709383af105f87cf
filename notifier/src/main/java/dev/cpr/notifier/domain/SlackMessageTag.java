package dev.cpr.notifier.domain;

import java.util.Map;

/**
 * What notifier writes into a message's Slack metadata ({@code event_type} {@value #EVENT_TYPE}, {@code event_payload}
 * with the outbox row and stored message ids), so that a sender taking over a row can ask Slack whether the message
 * is already in the channel: Slack has no idempotency key for {@code chat.postMessage}, but it keeps the metadata and
 * shows it to {@code conversations.history} / {@code conversations.replies} with {@code include_all_metadata}.
 * The ids go as strings: Slack's payload values come back as JSON, and a string survives every client unchanged.
 */
public record SlackMessageTag(long outboxId, long messageId) {

    public static final String EVENT_TYPE = "cpr_message";

    public Map<String, String> payload() {
        return Map.of("outbox_id", Long.toString(outboxId), "message_id", Long.toString(messageId));
    }

    /** Whether metadata read back from Slack is this tag. */
    public boolean isIn(String eventType, Map<String, ?> eventPayload) {
        return EVENT_TYPE.equals(eventType) && eventPayload != null
                && Long.toString(outboxId).equals(String.valueOf(eventPayload.get("outbox_id")))
                && Long.toString(messageId).equals(String.valueOf(eventPayload.get("message_id")));
    }
}
