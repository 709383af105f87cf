package dev.cpr.backup.adapters.kafka;

import dev.cpr.backup.adapters.persistence.BackupOutbox;
import dev.cpr.contracts.events.Topics;
import dev.cpr.platform.outbox.OutboxConfig;
import dev.cpr.platform.outbox.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Gets backup-service's events out: the outbox rows each catalog change ({@code dev.cpr.backup.updated} on
 * {@code cpr.backups}) and each RPO incident ({@code cpr.incidents}) wrote in its own transaction are sent by
 * platform's {@link OutboxRelay}, keyed by cluster id, in order per cluster, and again after Kafka comes back or the
 * service restarts (at least once, same CloudEvent id). No backup waits for the broker.
 */
@ApplicationScoped
public class OutboxPublisher {

    /** How long the relay waits for the broker to take one record before it backs off and tries again. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    private final OutboxRelay relay;

    public OutboxPublisher(@Channel("backups") MutinyEmitter<String> backups,
            @Channel("incidents-out") MutinyEmitter<String> incidents, DataSource dataSource, MeterRegistry registry,
            OutboxConfig config) {
        Map<String, MutinyEmitter<String>> byTopic = Map.of(Topics.BACKUPS, backups, Topics.INCIDENTS, incidents);
        this.relay = new OutboxRelay("backup-service", BackupOutbox.TABLE, dataSource, (topic, record) -> {
            MutinyEmitter<String> emitter = byTopic.get(topic);
            if (emitter == null) {
                throw new IllegalStateException("backup-service has no channel for topic " + topic);
            }
            emitter.sendMessage(record).await().atMost(ACK_TIMEOUT);
        }, registry, OutboxRelay.Settings.DEFAULT.withRetention(config.retention()));
    }

    void onStart(@Observes StartupEvent event) {
        relay.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        relay.close();
    }

    /** Something was just committed to the outbox: send it now rather than at the relay's next poll. */
    public void wake() {
        relay.wake();
    }

    /** The relay itself, for the fault tests (pause it to stand for a process that died before publishing). */
    public OutboxRelay relay() {
        return relay;
    }
}
