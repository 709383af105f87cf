package dev.cpr.notifier.app;

import dev.cpr.contracts.approval.ApprovalDecided;
import io.smallrye.mutiny.Uni;

/**
 * Publishes a decision taken in Slack on {@code cpr.approvals}: the event is written in the transaction that records
 * the decision on the plan's message (an outbox row), and sent after the commit, so a decision shown in Slack is never
 * lost to a Kafka outage or a restart, and none leaves for a decision that was rolled back.
 */
public interface ApprovalEvents {

    /** Writes {@code dev.cpr.approval.decided} in the caller's open transaction. */
    Uni<Void> decided(ApprovalDecided decided);

    /** The transaction committed: send what it wrote now rather than at the relay's next poll. */
    void committed();
}
