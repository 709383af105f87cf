package dev.cpr.restore.domain.plan;

import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builders of stored plans for the tests. */
public final class Plans {

    public static final Instant DETECTED = Instant.parse("2026-01-01T10:00:00Z");
    public static final Instant CREATED = Instant.parse("2026-01-01T10:00:01Z");

    private Plans() {
    }

    public static RecoveryPlan running(String plan, List<PlanStep> steps) {
        return new RecoveryPlan("plan-1", "incident-1", "test", plan, "etcd-2", PlanState.RUNNING, RecoveryMode.AUTO,
                CREATED, CREATED, DETECTED, null, "replace etcd-2", 1, steps);
    }

    public static RecoveryPlan withStates(RecoveryPlan plan, StepState... states) {
        List<PlanStep> steps = new ArrayList<>(plan.steps());
        for (int i = 0; i < states.length; i++) {
            PlanStep s = steps.get(i);
            int attempts = states[i] == StepState.PENDING ? 0 : 1;
            steps.set(i, new PlanStep(s.index(), s.name(), s.description(), s.destructive(), states[i], attempts,
                    states[i] == StepState.PENDING ? null : CREATED,
                    states[i].isDone() ? CREATED : null, states[i].isDone() ? "done before" : null));
        }
        return new RecoveryPlan(plan.id(), plan.incidentId(), plan.clusterId(), plan.plan(), plan.targetMember(),
                plan.state(), plan.mode(), plan.createdAt(), plan.updatedAt(), plan.detectedAt(), null, plan.message(),
                plan.sequence(), steps, plan.snapshot(), plan.decidedBy(), plan.decidedAt(), plan.rpoSeconds());
    }
}
