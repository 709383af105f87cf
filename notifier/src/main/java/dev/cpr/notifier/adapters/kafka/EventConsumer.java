package dev.cpr.notifier.adapters.kafka;

import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.MalformedEventException;
import dev.cpr.notifier.app.NotificationService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code cpr.incidents} and {@code cpr.recoveries} (channels {@code incidents} and {@code recoveries},
 * topics mapped in application.properties). A failed Uni nacks the record: the dead-letter-queue failure
 * strategy sends it to the channel's DLQ topic and the consumer carries on.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final NotificationService notifications;

    EventConsumer(NotificationService notifications) {
        this.notifications = notifications;
    }

    @Incoming("incidents")
    public Uni<Void> onIncident(String value) {
        return consume("incidents", value);
    }

    @Incoming("recoveries")
    public Uni<Void> onRecovery(String value) {
        return consume("recoveries", value);
    }

    private Uni<Void> consume(String channel, String value) {
        CloudEvent event;
        try {
            event = EventCodec.decode(value);
        } catch (MalformedEventException e) {
            LOG.warnf("malformed record on channel %s, dead-lettered: %s", channel, e.getMessage());
            return Uni.createFrom().failure(e);
        }
        return notifications.handle(event).onFailure().invoke(e -> {
            if (e instanceof MalformedEventException) {
                LOG.warnf("malformed event %s on channel %s (cluster=%s), dead-lettered: %s", event.id(), channel,
                        event.subject(), e.getMessage());
            } else {
                LOG.errorf("event %s (%s, cluster=%s) failed and is dead-lettered: %s", event.id(), event.type(),
                        event.subject(), e.toString());
            }
        });
    }
}
