package dev.cpr.healthmonitor.adapters.kafka;

import dev.cpr.contracts.events.Topics;
import dev.cpr.healthmonitor.adapters.persistence.IncidentOutbox;
import dev.cpr.healthmonitor.app.IncidentEvents;
import dev.cpr.platform.outbox.OutboxConfig;
import dev.cpr.platform.outbox.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import javax.sql.DataSource;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Gets health-monitor's incident events out: the outbox rows each incident change wrote in its own transaction are
 * sent to {@code cpr.incidents} by platform's {@link OutboxRelay}, keyed by cluster id, in order per cluster (opened
 * before resolved), and again after Kafka comes back or the service restarts (at least once, same CloudEvent id).
 * Detection never waits for the broker.
 */
@ApplicationScoped
public class IncidentPublisher implements IncidentEvents {

    /** How long the relay waits for the broker to take one record before it backs off and tries again. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    private final OutboxRelay relay;

    public IncidentPublisher(@Channel("incidents") MutinyEmitter<String> incidents, DataSource dataSource,
            MeterRegistry registry, OutboxConfig config) {
        this.relay = new OutboxRelay("health-monitor", IncidentOutbox.TABLE, dataSource, (topic, record) -> {
            if (!Topics.INCIDENTS.equals(topic)) {
                throw new IllegalStateException("health-monitor has no channel for topic " + topic);
            }
            incidents.sendMessage(record).await().atMost(ACK_TIMEOUT);
        }, registry, OutboxRelay.Settings.DEFAULT.withRetention(config.retention()));
    }

    void onStart(@Observes StartupEvent event) {
        relay.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        relay.close();
    }

    @Override
    public void committed() {
        relay.wake();
    }

    /** The relay itself, for the fault tests (pause it to stand for a process that died before publishing). */
    public OutboxRelay relay() {
        return relay;
    }
}
