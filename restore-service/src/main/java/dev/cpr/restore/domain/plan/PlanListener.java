package dev.cpr.restore.domain.plan;

import java.time.Duration;

/**
 * What the engine tells the world after each durable transition: the event publisher, metrics and the
 * fault-injection hook listen here.
 */
public interface PlanListener {

    /** The plan was stored in this state; publish it. */
    default void transitioned(RecoveryPlan plan) {
    }

    /** A step reached SUCCEEDED, SKIPPED or FAILED, and that is stored and published. */
    default void stepFinished(RecoveryPlan plan, PlanStep step, Duration took) {
    }

    /** The plan reached a final state, stored and published. */
    default void planFinished(RecoveryPlan plan) {
    }

    static PlanListener all(PlanListener... listeners) {
        return new PlanListener() {
            @Override
            public void transitioned(RecoveryPlan plan) {
                for (PlanListener l : listeners) {
                    l.transitioned(plan);
                }
            }

            @Override
            public void stepFinished(RecoveryPlan plan, PlanStep step, Duration took) {
                for (PlanListener l : listeners) {
                    l.stepFinished(plan, step, took);
                }
            }

            @Override
            public void planFinished(RecoveryPlan plan) {
                for (PlanListener l : listeners) {
                    l.planFinished(plan);
                }
            }
        };
    }
}
