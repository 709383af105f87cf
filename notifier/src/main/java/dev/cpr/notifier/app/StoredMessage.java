package dev.cpr.notifier.app;

import dev.cpr.notifier.domain.NotificationKind;
import java.time.Instant;

/**
 * A Slack message as notifier keeps it: what it is about, where Slack put it once sent ({@code ts}, filled in by the
 * {@link OutboxSender}), what it shows now and any decision taken on it. {@code id} is null until it is stored.
 */
public record StoredMessage(Long id, NotificationKind kind, String incidentId, String clusterId, String planId,
        String channel, String ts, String threadTs, Long parentId, String state, Long lastSequence,
        String incidentJson, String updateJson, String decision, String decidedBy, Instant decidedAt,
        Instant createdAt, Instant updatedAt) {

    /** A message not yet stored nor sent. */
    public static StoredMessage draft(NotificationKind kind, String incidentId, String clusterId, String planId,
            String channel, Instant now) {
        return new StoredMessage(null, kind, incidentId, clusterId, planId, channel, null, null, null, null, null, null,
                null, null, null, null, now, now);
    }

    public StoredMessage withState(String newState) {
        return new StoredMessage(id, kind, incidentId, clusterId, planId, channel, ts, threadTs, parentId, newState,
                lastSequence, incidentJson, updateJson, decision, decidedBy, decidedAt, createdAt, updatedAt);
    }

    public StoredMessage withIncidentJson(String json) {
        return new StoredMessage(id, kind, incidentId, clusterId, planId, channel, ts, threadTs, parentId, state,
                lastSequence, json, updateJson, decision, decidedBy, decidedAt, createdAt, updatedAt);
    }

    /** A reply in the thread of {@code parent} (null: top-level). */
    public StoredMessage inThreadOf(StoredMessage parent) {
        return new StoredMessage(id, kind, incidentId, clusterId, planId, channel, ts, threadTs,
                parent == null ? null : parent.id(), state, lastSequence, incidentJson, updateJson, decision, decidedBy,
                decidedAt, createdAt, updatedAt);
    }

    /** The message showing plan update {@code sequence} in state {@code newState} (the update as JSON). */
    public StoredMessage showing(long sequence, String newState, String json, Instant now) {
        return new StoredMessage(id, kind, incidentId, clusterId, planId, channel, ts, threadTs, parentId, newState,
                sequence, incidentJson, json, decision, decidedBy, decidedAt, createdAt, now);
    }
}
