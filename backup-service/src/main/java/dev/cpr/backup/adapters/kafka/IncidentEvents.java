package dev.cpr.backup.adapters.kafka;

import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.platform.events.EventRecords;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes backup-service's own incidents (an RPO breach) on {@code cpr.incidents} (channel {@code incidents-out}),
 * keyed by cluster id, source {@code /cpr/backup-service}. CloudEvent ids are {@code <incident id>-opened} and
 * {@code <incident id>-resolved}, so a replica or a restart publishing the same change again is recognisable.
 */
@ApplicationScoped
public class IncidentEvents {

    private static final Logger LOG = Logger.getLogger(IncidentEvents.class);

    private final Emitter<String> emitter;
    private final EventCodec codec;

    public IncidentEvents(@Channel("incidents-out") Emitter<String> emitter, EventCodec codec) {
        this.emitter = emitter;
        this.codec = codec;
    }

    public void opened(IncidentOpened incident) {
        send(incident.clusterId(), incident.incidentId(), codec.wrap(incident.incidentId() + "-opened",
                EventTypes.INCIDENT_OPENED, incident.clusterId(), incident));
    }

    public void resolved(IncidentResolved resolved) {
        send(resolved.clusterId(), resolved.incidentId(), codec.wrap(resolved.incidentId() + "-resolved",
                EventTypes.INCIDENT_RESOLVED, resolved.clusterId(), resolved));
    }

    private void send(String clusterId, String incidentId, dev.cpr.contracts.events.CloudEvent event) {
        Message<String> message = EventRecords.message(Topics.INCIDENTS, event)
                .withAck(() -> CompletableFuture.completedFuture(null))
                .withNack(failure -> {
                    LOG.errorf("cluster %s incident %s: %s was not published: %s", clusterId, incidentId, event.type(),
                            failure.getMessage());
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
    }
}
