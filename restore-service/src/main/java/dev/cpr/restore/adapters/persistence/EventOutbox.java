package dev.cpr.restore.adapters.persistence;

import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.platform.outbox.Outbox;
import dev.cpr.platform.outbox.OutboxTable;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * restore-service's events as outbox rows, written in the transaction of the state change they report (call these
 * inside {@code Panache.withTransaction}); the relay ({@code adapters.kafka.RecoveryPublisher}) sends them.
 */
@ApplicationScoped
public class EventOutbox {

    public static final String SOURCE = "/cpr/restore-service";
    public static final OutboxTable TABLE = OutboxTable.inSchema("restore_service");

    private final Outbox outbox = new Outbox(TABLE);
    private final EventCodec codec;

    public EventOutbox(Clock clock) {
        this.codec = new EventCodec(SOURCE, clock);
    }

    /**
     * {@code dev.cpr.recovery.updated} (the whole plan) on {@code cpr.recoveries}. The event id is
     * {@code <planId>-<sequence>}: one per stored transition, the same on every re-publish.
     */
    public Uni<Void> planTransitioned(RecoveryPlan plan) {
        return Panache.getSession().flatMap(session -> outbox.enqueue(session, Topics.RECOVERIES,
                codec.wrap(plan.id() + "-" + plan.sequence(), EventTypes.RECOVERY_UPDATED, plan.clusterId(),
                        plan.toUpdate())));
    }

    /** {@code dev.cpr.approval.decided} on {@code cpr.approvals}: a decision taken over REST, for the bus's readers. */
    public Uni<Void> approvalDecided(ApprovalDecided decided) {
        return Panache.getSession().flatMap(session -> outbox.enqueue(session, Topics.APPROVALS,
                codec.wrap(EventTypes.APPROVAL_DECIDED, decided.clusterId(), decided)));
    }
}
