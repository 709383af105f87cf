package dev.cpr.notifier.adapters.kafka;

import dev.cpr.contracts.events.Topics;
import dev.cpr.notifier.adapters.persistence.ApprovalOutbox;
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
 * Gets the decisions taken in Slack out: the outbox rows each decision wrote in its own transaction are sent to
 * {@code cpr.approvals} by platform's {@link OutboxRelay}, keyed by cluster id, in order per cluster, and again after
 * Kafka comes back or the service restarts (at least once, same CloudEvent id). A click's answer to Slack never waits
 * for the broker.
 */
@ApplicationScoped
public class ApprovalPublisher {

    /** How long the relay waits for the broker to take one record before it backs off and tries again. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    private final OutboxRelay relay;

    public ApprovalPublisher(@Channel("approvals") MutinyEmitter<String> approvals, DataSource dataSource,
            MeterRegistry registry, OutboxConfig config) {
        this.relay = new OutboxRelay("notifier", ApprovalOutbox.TABLE, dataSource, (topic, record) -> {
            if (!Topics.APPROVALS.equals(topic)) {
                throw new IllegalStateException("notifier has no channel for topic " + topic);
            }
            approvals.sendMessage(record).await().atMost(ACK_TIMEOUT);
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
