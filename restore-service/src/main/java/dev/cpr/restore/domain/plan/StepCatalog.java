package dev.cpr.restore.domain.plan;

import java.util.List;

/** Binds a stored plan to the executable steps of its kind, in the stored order. */
@FunctionalInterface
public interface StepCatalog {

    /** @throws IllegalStateException if the plan's kind, cluster or target is unknown */
    List<StepSpec> stepsFor(RecoveryPlan plan);
}
