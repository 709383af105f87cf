package dev.cpr.restore.adapters.kafka;

import dev.cpr.contracts.events.Topics;
import dev.cpr.platform.outbox.OutboxConfig;
import dev.cpr.platform.outbox.OutboxRelay;
import dev.cpr.restore.adapters.persistence.EventOutbox;
import dev.cpr.restore.app.RecoveryEvents;
import dev.cpr.restore.domain.plan.RecoveryPlan;
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
 * Gets restore-service's events out: the outbox rows that each stored plan transition ({@code dev.cpr.recovery.updated}
 * on {@code cpr.recoveries}) and each REST decision ({@code dev.cpr.approval.decided} on {@code cpr.approvals}) wrote
 * in their own transaction are sent by platform's {@link OutboxRelay}, keyed by cluster id, in order per cluster, and
 * again after Kafka comes back or the service restarts (at least once, same CloudEvent id). A stored transition wakes
 * the relay so its event leaves at once; the plan never waits for the broker.
 */
@ApplicationScoped
public class RecoveryPublisher implements RecoveryEvents {

    /** How long the relay waits for the broker to take one record before it backs off and tries again. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    private final OutboxRelay relay;

    public RecoveryPublisher(@Channel("recoveries") MutinyEmitter<String> recoveries,
            @Channel("approvals-out") MutinyEmitter<String> approvals, DataSource dataSource, MeterRegistry registry,
            OutboxConfig config) {
        Map<String, MutinyEmitter<String>> byTopic = Map.of(Topics.RECOVERIES, recoveries, Topics.APPROVALS, approvals);
        this.relay = new OutboxRelay("restore-service", EventOutbox.TABLE, dataSource, (topic, record) -> {
            MutinyEmitter<String> emitter = byTopic.get(topic);
            if (emitter == null) {
                throw new IllegalStateException("restore-service has no channel for topic " + topic);
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

    @Override
    public void transitioned(RecoveryPlan plan) {
        relay.wake();
    }

    /** The relay itself, for the fault tests (pause it to stand for a process that died before publishing). */
    public OutboxRelay relay() {
        return relay;
    }
}
