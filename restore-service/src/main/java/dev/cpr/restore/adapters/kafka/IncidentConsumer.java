package dev.cpr.restore.adapters.kafka;

import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.MalformedEventException;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.restore.adapters.runtime.PlanMetrics;
import dev.cpr.restore.adapters.runtime.Recoveries;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

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

    private static final Logger LOG = Logger.getLogger(IncidentConsumer.class);

    private final Recoveries recoveries;
    private final PlanMetrics metrics;

    public IncidentConsumer(Recoveries recoveries, PlanMetrics metrics) {
        this.recoveries = recoveries;
        this.metrics = metrics;
    }

    @Incoming("incidents")
    @Blocking
    public void consume(String value) {
        CloudEvent event;
        IncidentOpened incident;
        try {
            event = EventCodec.decode(value);
            if (EventTypes.INCIDENT_RESOLVED.equals(event.type())) {
                IncidentResolved resolved = EventCodec.data(event, IncidentResolved.class);
                recoveries.incidentResolved(resolved, "[cluster=" + resolved.clusterId() + " incident="
                        + resolved.incidentId() + " event=" + event.id() + "]");
                return;
            }
            if (!EventTypes.INCIDENT_OPENED.equals(event.type())) {
                LOG.debugf("event %s of type %s: nothing to do", event.id(), event.type());
                return;
            }
            incident = EventCodec.data(event, IncidentOpened.class);
        } catch (MalformedEventException e) {
            LOG.warnf("refused a record of cpr.incidents (to the dead-letter topic): %s", e.getMessage());
            metrics.incident("malformed");
            throw e;
        }
        String tag = "[cluster=" + incident.clusterId() + " incident=" + incident.incidentId() + " event=" + event.id() + "]";
        recoveries.plan(tag, incident);
    }
}
