package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import java.util.List;

/**
 * One kind of recovery plan: its name (as in the inventory's recovery policy, REST and events), the mode it runs in
 * when the cluster's policy does not name it, and how a person's trigger becomes a plan. Registered in
 * {@link PlanTypes}; see the README's "How to add a plan".
 */
public interface PlanType {

    /** The wire name, one of {@link dev.cpr.contracts.recovery.PlanNames}. */
    String name();

    /** AUTO when the plan loses nothing and touches one member at a time; else a person approves it. */
    RecoveryMode defaultMode();

    /**
     * Whether a manual trigger may name a target revision or time ({@code targetRevision}, {@code targetTime}): only
     * a point-in-time restore restores to a point; any other plan refuses them.
     */
    default boolean takesTarget() {
        return false;
    }

    /**
     * Checks a manual trigger and builds the plan it asks for, in the state the cluster's policy says.
     *
     * @throws TriggerRefused with the status and message REST answers with
     */
    RecoveryPlan trigger(ManualTrigger trigger, Planner planner);

    /**
     * What the engine runs for a stored plan of this type, in the stored order.
     *
     * @throws IllegalStateException when the plan's target is no longer in the inventory
     */
    List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports);
}
