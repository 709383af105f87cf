package dev.cpr.restore.adapters.kafka;

import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.platform.events.EventRecords;
import dev.cpr.restore.app.RecoveryEvents;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes {@code dev.cpr.recovery.updated} (the whole plan) to {@code cpr.recoveries}, keyed by cluster
 * id, after each stored transition, and waits for the broker's ack. The event id is
 * {@code <planId>-<sequence>}, so a re-publish of the same transition is recognisable. A publish failure
 * is logged and does not stop the plan: its state is already durable.
 */
@ApplicationScoped
public class RecoveryPublisher implements RecoveryEvents {

    public static final String SOURCE = "/cpr/restore-service";
    private static final Logger LOG = Logger.getLogger(RecoveryPublisher.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    private final MutinyEmitter<String> emitter;
    private final EventCodec codec;

    public RecoveryPublisher(@Channel("recoveries") MutinyEmitter<String> emitter, Clock clock) {
        this.emitter = emitter;
        this.codec = new EventCodec(SOURCE, clock);
    }

    @Override
    public void transitioned(RecoveryPlan plan) {
        Message<String> message = EventRecords.message(Topics.RECOVERIES, codec.wrap(plan.id() + "-" + plan.sequence(),
                EventTypes.RECOVERY_UPDATED, plan.clusterId(), plan.toUpdate()));
        try {
            emitter.sendMessage(message).await().atMost(ACK_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.errorf("%s could not publish sequence %d (%s): %s", plan.tag(), plan.sequence(), plan.state(),
                    e.getMessage());
        }
    }
}
