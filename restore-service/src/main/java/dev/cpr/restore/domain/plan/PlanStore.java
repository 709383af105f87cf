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

    class ConcurrentPlanUpdateException extends RuntimeException {
        public ConcurrentPlanUpdateException(String message) {
            super(message);
        }
    }
}
