package dev.cpr.restore.adapters.kafka;

import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.platform.events.EventRecords;
import dev.cpr.restore.adapters.kafka.RecoveryPublisher;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes a decision taken over restore-service's REST API as {@code dev.cpr.approval.decided} on
 * {@code cpr.approvals} (channel REST), so the audit sees REST and Slack decisions in one place.
 */
@ApplicationScoped
public class ApprovalPublisher {

    private static final Logger LOG = Logger.getLogger(ApprovalPublisher.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    private final MutinyEmitter<String> emitter;
    private final EventCodec codec;

    public ApprovalPublisher(@Channel("approvals-out") MutinyEmitter<String> emitter, Clock clock) {
        this.emitter = emitter;
        this.codec = new EventCodec(RecoveryPublisher.SOURCE, clock);
    }

    /** @return whether the broker acknowledged it (a failure is logged; the decision is applied anyway) */
    public boolean publish(ApprovalDecided decided) {
        Message<String> message = EventRecords.message(Topics.APPROVALS,
                codec.wrap(EventTypes.APPROVAL_DECIDED, decided.clusterId(), decided));
        try {
            emitter.sendMessage(message).await().atMost(ACK_TIMEOUT);
            return true;
        } catch (RuntimeException e) {
            LOG.errorf("[cluster=%s plan=%s] could not publish the %s decision of %s to cpr.approvals: %s",
                    decided.clusterId(), decided.planId(), decided.decision(), decided.decidedBy(), e.getMessage());
            return false;
        }
    }
}
