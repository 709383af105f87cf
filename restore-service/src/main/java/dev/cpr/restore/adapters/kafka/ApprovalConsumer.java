package dev.cpr.restore.adapters.kafka;

import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.events.CloudEvent;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.MalformedEventException;
import dev.cpr.restore.adapters.runtime.ApprovalDesk;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code cpr.approvals} (group {@code restore-service}): a decision about a waiting plan, from Slack
 * (notifier) or from this service's own REST API, or from anyone who can write to the topic. {@link ApprovalDesk}
 * applies it only when a trusted key signed it, and audits it either way. Idempotent: a decision the plan already
 * carries changes nothing. A record that is not a valid {@code dev.cpr.approval.decided} event goes to
 * {@code cpr.approvals.dlq.restore-service}.
 */
@ApplicationScoped
public class ApprovalConsumer {

    private static final Logger LOG = Logger.getLogger(ApprovalConsumer.class);

    private final ApprovalDesk desk;

    public ApprovalConsumer(ApprovalDesk desk) {
        this.desk = desk;
    }

    @Incoming("approvals")
    @Blocking
    public void consume(String value) {
        CloudEvent event;
        ApprovalDecided decided;
        try {
            event = EventCodec.decode(value);
            if (!EventTypes.APPROVAL_DECIDED.equals(event.type())) {
                LOG.debugf("event %s of type %s on cpr.approvals: nothing to do", event.id(), event.type());
                return;
            }
            decided = EventCodec.data(event, ApprovalDecided.class);
        } catch (MalformedEventException e) {
            LOG.warnf("refused a record of cpr.approvals (to the dead-letter topic): %s", e.getMessage());
            throw e;
        }
        desk.fromBus(decided, event.id());
    }
}
