package dev.cpr.restore.adapters.rest;

import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryOption;
import dev.cpr.contracts.recovery.StepView;
import dev.cpr.restore.domain.plan.PlanDigest;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.List;

/**
 * A recovery plan as REST shows it: the plan, its state, the snapshot it restores from, who decided, and
 * its steps with their output. {@code dryRun}: shown only, never stored. {@code digest}: what an approval names
 * (see {@link PlanDigest}). {@code options}: on quorum loss, the ways out ranked least destructive first, each with
 * what it would lose (revisions and seconds). {@code targetRevision}: for a point-in-time restore, the revision the change
 * log is replayed to after the snapshot (null: the snapshot only).
 */
public record RecoveryView(
        String id,
        String incidentId,
        String clusterId,
        String plan,
        String targetMember,
        RecoveryMode mode,
        PlanState state,
        long sequence,
        String message,
        Instant createdAt,
        Instant updatedAt,
        Instant detectedAt,
        Long rtoMillis,
        Long rpoSeconds,
        SnapshotRef snapshot,
        String decidedBy,
        Instant decidedAt,
        boolean dryRun,
        List<StepView> steps,
        String digest,
        List<RecoveryOption> options,
        Long targetRevision) {

    static RecoveryView of(RecoveryPlan p) {
        return of(p, false);
    }

    static RecoveryView of(RecoveryPlan p, boolean dryRun) {
        return new RecoveryView(p.id(), p.incidentId(), p.clusterId(), p.plan(), p.targetMember(), p.mode(), p.state(),
                p.sequence(), p.message(), p.createdAt(), p.updatedAt(), p.detectedAt(), p.rtoMillis(), p.rpoSeconds(),
                p.snapshot(), p.decidedBy(), p.decidedAt(), dryRun, p.steps().stream().map(PlanStep::view).toList(),
                PlanDigest.of(p), p.options(), p.targetRevision());
    }
}
