package dev.cpr.notifier.app;

import io.smallrye.mutiny.Uni;
import java.time.Instant;

/**
 * The ids of the events notifier has handled: a redelivered event (at least once, same CloudEvent id) is recognised
 * and posts nothing twice. Both calls run in the caller's transaction, the one that posts the event's message.
 */
public interface HandledEvents {

    Uni<Boolean> isHandled(String eventId);

    /** @param incidentId the incident the event is about, or null */
    Uni<Void> markHandled(String eventId, String type, String incidentId, Instant at);
}
