package dev.cpr.restore.adapters.kafka;

import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.platform.events.EventInbox;
import dev.cpr.restore.app.ApprovalDesk;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code cpr.approvals} (group {@code restore-service}): a decision about a waiting plan, from Slack
 * (notifier) or from this service's own REST API, or from anyone who can write to the topic. {@link ApprovalDesk}
 * applies it only when a trusted key signed it, and audits it either way. Idempotent: a decision the plan already
 * carries changes nothing. A record that is not a valid {@code dev.cpr.approval.decided} event goes to
 * {@code cpr.approvals.dlq.restore-service}.
 */
@ApplicationScoped
public class ApprovalConsumer {

    private final EventInbox inbox;

    public ApprovalConsumer(ApprovalDesk desk) {
        this.inbox = EventInbox.of(Topics.APPROVALS, "restore-service")
                .onEventBlocking(EventTypes.APPROVAL_DECIDED, ApprovalDecided.class,
                        (event, decided, context) -> desk.fromBus(decided, event.id()))
                .build();
    }

    @Incoming("approvals")
    @Blocking
    public void consume(String value) {
        inbox.accept(value);
    }
}
