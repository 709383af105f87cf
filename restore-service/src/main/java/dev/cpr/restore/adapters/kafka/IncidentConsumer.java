package dev.cpr.restore.adapters.kafka;

import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.platform.events.EventInbox;
import dev.cpr.restore.app.PlanMetrics;
import dev.cpr.restore.app.Recoveries;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code cpr.incidents} (group {@code restore-service}) on a worker thread (planning a quorum restore
 * asks backup-service's catalog). A record that is not a valid incident event fails, and SmallRye sends it to
 * {@code cpr.incidents.dlq.restore-service}; the consumer carries on. For an {@code IncidentOpened} the
 * planner decides; a new plan is stored in one transaction before the offset is committed. Idempotent: a
 * redelivered incident finds its plan by incident id and does nothing. An {@code IncidentResolved} withdraws the
 * incident's plan if it is still waiting for a person.
 */
@ApplicationScoped
public class IncidentConsumer {

    private final EventInbox inbox;

    public IncidentConsumer(Recoveries recoveries, PlanMetrics metrics) {
        this.inbox = EventInbox.of(Topics.INCIDENTS, "restore-service")
                .onBlocking(EventTypes.INCIDENT_OPENED, IncidentOpened.class,
                        (incident, context) -> recoveries.plan(context.tag(), incident))
                .onBlocking(EventTypes.INCIDENT_RESOLVED, IncidentResolved.class,
                        (resolved, context) -> recoveries.incidentResolved(resolved, context.tag()))
                .whenMalformed(e -> metrics.incident("malformed"))
                .build();
    }

    @Incoming("incidents")
    @Blocking
    public void consume(String value) {
        inbox.accept(value);
    }
}
