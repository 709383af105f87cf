package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.healthmonitor.adapters.kafka.IncidentPublisher;
import dev.cpr.healthmonitor.adapters.persistence.IncidentEntity;
import dev.cpr.healthmonitor.adapters.persistence.IncidentState;
import dev.cpr.healthmonitor.adapters.persistence.IncidentStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Publishes an incident's events after its row is stored, and records in the row that Kafka
 * acknowledged them. Sending is detached from the poll (a Kafka outage must not stop detection);
 * what was not acknowledged is sent again by {@link #republishPending()} with the same event id.
 * Opened is always published before resolved.
 */
@ApplicationScoped
public class IncidentEvents {

    private static final Logger LOG = Logger.getLogger(IncidentEvents.class);
    private static final Duration SEND_LIMIT = Duration.ofSeconds(30);

    private final IncidentPublisher publisher;
    private final IncidentStore store;
    private final VertxContexts contexts;
    private final Clock clock;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public IncidentEvents(IncidentPublisher publisher, IncidentStore store, VertxContexts contexts, Clock clock) {
        this.publisher = publisher;
        this.store = store;
        this.contexts = contexts;
        this.clock = clock;
    }

    /** Sends whatever {@code row} still owes Kafka; returns at once. */
    public void publish(IncidentEntity row) {
        if (row.openedPublishedAt() == null) {
            IncidentOpened payload = new IncidentOpened(row.id(), row.clusterId(), row.failure(), row.failedMembers(),
                    row.members(), row.summary(), row.firstSeenAt(), row.detectedAt());
            send(row, "opened", publisher.opened(payload),
                    () -> store.markOpenedPublished(row.id(), clock.instant()));
        } else if (row.state() == IncidentState.RESOLVED && row.resolvedPublishedAt() == null) {
            IncidentResolved payload = new IncidentResolved(row.id(), row.clusterId(), row.failure(),
                    row.detectedAt(), row.resolvedAt());
            send(row, "resolved", publisher.resolved(payload),
                    () -> store.markResolvedPublished(row.id(), clock.instant()));
        }
    }

    /** Re-sends events stored but not acknowledged (e.g. Kafka was down). */
    public Uni<Void> republishPending() {
        return store.unpublished()
                .invoke(rows -> rows.forEach(this::publish))
                .replaceWithVoid();
    }

    private void send(IncidentEntity row, String what, Uni<Void> sending, java.util.function.Supplier<Uni<Void>> mark) {
        String eventId = row.id() + ":" + what;
        if (!inFlight.add(eventId)) {
            return;
        }
        sending.ifNoItem().after(SEND_LIMIT).fail()
                .chain(() -> contexts.onFreshContext(mark))
                .eventually(() -> inFlight.remove(eventId))
                .subscribe().with(
                        ok -> LOG.infof("cluster=%s incident=%s event %s published", row.clusterId(), row.id(), eventId),
                        e -> LOG.warnf("cluster=%s incident=%s event %s not published yet (will retry): %s",
                                row.clusterId(), row.id(), eventId, e.toString()));
    }
}
