package dev.cpr.notifier.adapters.rest;

import dev.cpr.notifier.app.StoredMessage;
import dev.cpr.notifier.domain.NotificationKind;
import java.time.Instant;

/** A stored Slack message reference, as {@code GET /api/v1/notifications} lists it. */
public record NotificationView(
        String incidentId,
        String clusterId,
        NotificationKind kind,
        String planId,
        String channel,
        String ts,
        String threadTs,
        String state,
        Long lastSequence,
        Instant createdAt,
        Instant lastUpdate) {

    static NotificationView of(StoredMessage e) {
        return new NotificationView(e.incidentId(), e.clusterId(), e.kind(), e.planId(), e.channel(), e.ts(),
                e.threadTs(), e.state(), e.lastSequence(), e.createdAt(), e.updatedAt());
    }
}
