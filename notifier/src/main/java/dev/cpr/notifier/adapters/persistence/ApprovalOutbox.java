package dev.cpr.notifier.adapters.persistence;

import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.notifier.adapters.kafka.ApprovalPublisher;
import dev.cpr.notifier.app.ApprovalEvents;
import dev.cpr.platform.outbox.Outbox;
import dev.cpr.platform.outbox.OutboxTable;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * Slack decisions as outbox rows of {@code notifier.event_outbox}; {@link ApprovalPublisher}'s relay sends them. The
 * CloudEvent id is new per decision (the decision's approval id is in its data), fixed once written, so a re-publish
 * carries the same id. This outbox is for Kafka records; the Slack messages have their own ({@code slack_outbox}).
 */
@ApplicationScoped
public class ApprovalOutbox implements ApprovalEvents {

    public static final String SOURCE = "/cpr/notifier";
    public static final OutboxTable TABLE = OutboxTable.inSchema("notifier");

    private final Outbox outbox = new Outbox(TABLE);
    private final EventCodec codec;
    private final ApprovalPublisher publisher;

    public ApprovalOutbox(Clock clock, ApprovalPublisher publisher) {
        this.codec = new EventCodec(SOURCE, clock);
        this.publisher = publisher;
    }

    @Override
    public Uni<Void> decided(ApprovalDecided decided) {
        return Panache.getSession().chain(session -> outbox.enqueue(session, Topics.APPROVALS,
                codec.wrap(EventTypes.APPROVAL_DECIDED, decided.clusterId(), decided)));
    }

    @Override
    public void committed() {
        publisher.wake();
    }
}
