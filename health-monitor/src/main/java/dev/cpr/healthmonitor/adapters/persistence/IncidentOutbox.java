package dev.cpr.healthmonitor.adapters.persistence;

import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.platform.outbox.Outbox;
import dev.cpr.platform.outbox.OutboxTable;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * health-monitor's events as outbox rows on {@code cpr.incidents}, written in the transaction of the incident change
 * they report; the relay ({@code adapters.kafka.IncidentPublisher}) sends them. Event ids are derived from the
 * incident ({@code <incidentId>:opened}, {@code <incidentId>:resolved}), as before the outbox, so consumers that
 * de-duplicate on the id recognise a re-publish.
 */
@ApplicationScoped
public class IncidentOutbox {

    public static final String SOURCE = "/cpr/health-monitor";
    public static final OutboxTable TABLE = OutboxTable.inSchema("health_monitor");

    private final Outbox outbox = new Outbox(TABLE);
    private final EventCodec codec;

    public IncidentOutbox(Clock clock) {
        this.codec = new EventCodec(SOURCE, clock);
    }

    Uni<Void> opened(Mutiny.Session session, IncidentEntity row) {
        IncidentOpened payload = new IncidentOpened(row.id(), row.clusterId(), row.failure(), row.failedMembers(),
                row.members(), row.summary(), row.firstSeenAt(), row.detectedAt());
        return outbox.enqueue(session, Topics.INCIDENTS,
                codec.wrap(row.id() + ":opened", EventTypes.INCIDENT_OPENED, row.clusterId(), payload));
    }

    Uni<Void> resolved(Mutiny.Session session, IncidentEntity row) {
        IncidentResolved payload = new IncidentResolved(row.id(), row.clusterId(), row.failure(), row.detectedAt(),
                row.resolvedAt());
        return outbox.enqueue(session, Topics.INCIDENTS,
                codec.wrap(row.id() + ":resolved", EventTypes.INCIDENT_RESOLVED, row.clusterId(), payload));
    }
}
