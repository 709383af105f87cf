package dev.cpr.healthmonitor.adapters.kafka;

import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.platform.events.EventRecords;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes incident events to the {@code incidents} channel ({@code cpr.incidents}), keyed by
 * cluster id. Event ids are derived from the incident ({@code <incidentId>:opened}), so a
 * re-publish after a Kafka outage is recognisable as the same event by idempotent consumers.
 * The returned Uni completes when the broker acknowledged the record.
 */
@ApplicationScoped
public class IncidentPublisher {

    public static final String SOURCE = "/cpr/health-monitor";

    private final MutinyEmitter<String> emitter;
    private final EventCodec codec;

    public IncidentPublisher(@Channel("incidents") MutinyEmitter<String> emitter, Clock clock) {
        this.emitter = emitter;
        this.codec = new EventCodec(SOURCE, clock);
    }

    public Uni<Void> opened(IncidentOpened payload) {
        return send(codec.wrap(payload.incidentId() + ":opened", EventTypes.INCIDENT_OPENED,
                payload.clusterId(), payload));
    }

    public Uni<Void> resolved(IncidentResolved payload) {
        return send(codec.wrap(payload.incidentId() + ":resolved", EventTypes.INCIDENT_RESOLVED,
                payload.clusterId(), payload));
    }

    private Uni<Void> send(CloudEvent event) {
        return emitter.sendMessage(EventRecords.message(Topics.INCIDENTS, event));
    }
}
