package dev.cpr.restore.domain.plan;

import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored recovery plan: its identity, state and ordered steps. Immutable; each transition returns a
 * new value with {@code sequence} one higher, which is what readers of {@code cpr.recoveries} order by.
 */
public record RecoveryPlan(
        String id,
        String incidentId,
        String clusterId,
        String plan,
        String targetMember,
        PlanState state,
        RecoveryMode mode,
        Instant createdAt,
        Instant updatedAt,
        Instant detectedAt,
        Long rtoMillis,
        String message,
        long sequence,
        List<PlanStep> steps) {

    public RecoveryPlan {
        steps = List.copyOf(steps);
    }

    public PlanStep step(int index) {
        return steps.get(index);
    }

    public RecoveryPlan withStep(PlanStep step, Instant now) {
        List<PlanStep> changed = new ArrayList<>(steps);
        changed.set(step.index(), step);
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, state, mode, createdAt, now,
                detectedAt, rtoMillis, message, sequence + 1, changed);
    }

    public RecoveryPlan withState(PlanState to, String why, Instant now) {
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, to, mode, createdAt, now,
                detectedAt, rtoMillis, why, sequence + 1, steps);
    }

    /** SUCCEEDED, with the RTO: incident detection to now. */
    public RecoveryPlan succeeded(String why, Instant now) {
        Long rto = detectedAt != null ? Duration.between(detectedAt, now).toMillis() : null;
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, PlanState.SUCCEEDED, mode, createdAt,
                now, detectedAt, rto, why, sequence + 1, steps);
    }

    public RecoveryPlan failed(PlanStep failedStep, String why, Instant now) {
        return withStep(failedStep, now).withState(PlanState.FAILED, why, now).withSequence(sequence + 1);
    }

    private RecoveryPlan withSequence(long seq) {
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, state, mode, createdAt, updatedAt,
                detectedAt, rtoMillis, message, seq, steps);
    }

    /** The whole plan as published on {@code cpr.recoveries}. RPO is for restores only: null here. */
    public RecoveryUpdate toUpdate() {
        return new RecoveryUpdate(id, incidentId, clusterId, plan, state, sequence,
                steps.stream().map(PlanStep::view).toList(), message, createdAt, updatedAt, null, rtoMillis);
    }

    /** Short tag for log lines: cluster, plan id and incident. */
    public String tag() {
        return "[cluster=" + clusterId + " plan=" + id + " incident=" + incidentId + "]";
    }
}
