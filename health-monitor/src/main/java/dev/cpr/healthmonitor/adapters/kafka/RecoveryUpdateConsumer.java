package dev.cpr.healthmonitor.adapters.kafka;

import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.healthmonitor.app.PlannedOutages;
import dev.cpr.platform.events.EventInbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code cpr.recoveries} (channel {@code recoveries}) in a consumer group of this replica's own, from the newest
 * record on: every replica needs every plan's state ({@link PlannedOutages}). A record that is not a valid event goes
 * to {@code cpr.recoveries.dlq.health-monitor}, and the consumer carries on.
 */
@ApplicationScoped
public class RecoveryUpdateConsumer {

    private final EventInbox inbox;

    public RecoveryUpdateConsumer(PlannedOutages outages) {
        this.inbox = EventInbox.of(Topics.RECOVERIES, "health-monitor")
                .on(EventTypes.RECOVERY_UPDATED, RecoveryUpdate.class, (update, context) -> {
                    outages.onUpdate(update);
                    return Uni.createFrom().voidItem();
                })
                .build();
    }

    @Incoming("recoveries")
    public Uni<Void> consume(String value) {
        return inbox.deliver(value);
    }
}
