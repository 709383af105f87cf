package dev.cpr.restore.domain.plan;

import java.util.List;
import java.util.Optional;

/** Where plans are kept. Every call is durable when it returns. */
public interface PlanStore {

    /**
     * Stores a transition of an existing plan.
     *
     * @throws ConcurrentPlanUpdateException if the stored sequence is not {@code plan.sequence() - 1}
     *         (someone else moved the plan)
     */
    void save(RecoveryPlan plan);

    Optional<RecoveryPlan> find(String planId);

    /** Plans in state RUNNING, to resume at start-up. */
    List<RecoveryPlan> running();

    /** Plans in state AWAITING_APPROVAL, to expire those that waited too long. */
    default List<RecoveryPlan> awaitingApproval() {
        return List.of();
    }

    /**
     * Who asked to cancel this RUNNING plan, if anyone did. The engine looks before each step: a plan
     * with a cancel request stops there and is CANCELLED (a step already running is allowed to finish).
     */
    default Optional<String> cancelRequested(String planId) {
        return Optional.empty();
    }

    class ConcurrentPlanUpdateException extends RuntimeException {
        public ConcurrentPlanUpdateException(String message) {
            super(message);
        }
    }
}
