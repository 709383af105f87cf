package dev.cpr.restore.domain.plan;

import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryOption;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored recovery plan: its identity, state and ordered steps. Immutable; each transition returns a
 * new value with {@code sequence} one higher, which is what readers of {@code cpr.recoveries} order by.
 *
 * @param snapshot   the catalog snapshot a restore plan restores from (null for other plans)
 * @param decidedBy  who approved, rejected or cancelled it (null while nobody did)
 * @param decidedAt  when that decision was taken
 * @param rpoSeconds for a restore: age of the restored data when the restore ran (null otherwise)
 * @param options    on quorum loss: the ways out restore-service ranked, least destructive first, each with what
 *                   it would lose (empty for other plans)
 * @param targetRevision for a point-in-time restore: the revision the change log is replayed to after the snapshot
 *                   (null: the plan restores the snapshot only)
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
        List<PlanStep> steps,
        SnapshotRef snapshot,
        String decidedBy,
        Instant decidedAt,
        Long rpoSeconds,
        List<RecoveryOption> options,
        Long targetRevision) {

    public RecoveryPlan {
        steps = List.copyOf(steps);
        options = options == null ? List.of() : List.copyOf(options);
    }

    /** A plan without a target revision (every plan but a point-in-time restore). */
    public RecoveryPlan(String id, String incidentId, String clusterId, String plan, String targetMember,
            PlanState state, RecoveryMode mode, Instant createdAt, Instant updatedAt, Instant detectedAt,
            Long rtoMillis, String message, long sequence, List<PlanStep> steps, SnapshotRef snapshot,
            String decidedBy, Instant decidedAt, Long rpoSeconds, List<RecoveryOption> options) {
        this(id, incidentId, clusterId, plan, targetMember, state, mode, createdAt, updatedAt, detectedAt, rtoMillis,
                message, sequence, steps, snapshot, decidedBy, decidedAt, rpoSeconds, options, null);
    }

    /** A plan without ranked options. */
    public RecoveryPlan(String id, String incidentId, String clusterId, String plan, String targetMember,
            PlanState state, RecoveryMode mode, Instant createdAt, Instant updatedAt, Instant detectedAt,
            Long rtoMillis, String message, long sequence, List<PlanStep> steps, SnapshotRef snapshot,
            String decidedBy, Instant decidedAt, Long rpoSeconds) {
        this(id, incidentId, clusterId, plan, targetMember, state, mode, createdAt, updatedAt, detectedAt, rtoMillis,
                message, sequence, steps, snapshot, decidedBy, decidedAt, rpoSeconds, List.of());
    }

    /** A plan without a snapshot or decision (the shape of the first plans). */
    public RecoveryPlan(String id, String incidentId, String clusterId, String plan, String targetMember,
            PlanState state, RecoveryMode mode, Instant createdAt, Instant updatedAt, Instant detectedAt,
            Long rtoMillis, String message, long sequence, List<PlanStep> steps) {
        this(id, incidentId, clusterId, plan, targetMember, state, mode, createdAt, updatedAt, detectedAt, rtoMillis,
                message, sequence, steps, null, null, null, null);
    }

    public PlanStep step(int index) {
        return steps.get(index);
    }

    public RecoveryPlan withStep(PlanStep step, Instant now) {
        List<PlanStep> changed = new ArrayList<>(steps);
        changed.set(step.index(), step);
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, state, mode, createdAt, now,
                detectedAt, rtoMillis, message, sequence + 1, changed, snapshot, decidedBy, decidedAt, rpoSeconds, options,
                targetRevision);
    }

    public RecoveryPlan withState(PlanState to, String why, Instant now) {
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, to, mode, createdAt, now,
                detectedAt, rtoMillis, why, sequence + 1, steps, snapshot, decidedBy, decidedAt, rpoSeconds, options,
                targetRevision);
    }

    /** A person's decision (approve, reject, cancel): the new state, who and when. */
    public RecoveryPlan decided(PlanState to, String who, Instant when, String why, Instant now) {
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, to, mode, createdAt, now,
                detectedAt, rtoMillis, why, sequence + 1, steps, snapshot, who, when, rpoSeconds, options,
                targetRevision);
    }

    /** The same plan restoring from this snapshot (at proposal; sequence unchanged). */
    public RecoveryPlan withSnapshot(SnapshotRef ref) {
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, state, mode, createdAt, updatedAt,
                detectedAt, rtoMillis, message, sequence, steps, ref, decidedBy, decidedAt, rpoSeconds, options,
                targetRevision);
    }

    /**
     * SUCCEEDED, with the RTO (incident detection, or creation for a manual plan, to now) and, for a restore,
     * the RPO: the age of the snapshot when the first destructive step started (the moment the cluster's
     * data was replaced by the snapshot's).
     */
    public RecoveryPlan succeeded(String why, Instant now) {
        Instant from = detectedAt != null ? detectedAt : createdAt;
        Long rto = from != null ? Duration.between(from, now).toMillis() : null;
        Long rpo = rpoSeconds;
        if (snapshot != null && snapshot.createdAt() != null) {
            Instant restoredAt = steps.stream().filter(PlanStep::destructive).map(PlanStep::startedAt)
                    .filter(t -> t != null).findFirst().orElse(now);
            rpo = Math.max(0, Duration.between(snapshot.createdAt(), restoredAt).toSeconds());
        }
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, PlanState.SUCCEEDED, mode, createdAt,
                now, detectedAt, rto, why, sequence + 1, steps, snapshot, decidedBy, decidedAt, rpo, options,
                targetRevision);
    }

    public RecoveryPlan failed(PlanStep failedStep, String why, Instant now) {
        return withStep(failedStep, now).withState(PlanState.FAILED, why, now).withSequence(sequence + 1);
    }

    private RecoveryPlan withSequence(long seq) {
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, state, mode, createdAt, updatedAt,
                detectedAt, rtoMillis, message, seq, steps, snapshot, decidedBy, decidedAt, rpoSeconds, options,
                targetRevision);
    }

    /** The same plan replaying the change log to this revision after its snapshot (at proposal; sequence unchanged). */
    public RecoveryPlan withTargetRevision(Long revision) {
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, state, mode, createdAt, updatedAt,
                detectedAt, rtoMillis, message, sequence, steps, snapshot, decidedBy, decidedAt, rpoSeconds, options,
                revision);
    }

    /** The same plan carrying the ranked options it was chosen from (at proposal; sequence unchanged). */
    public RecoveryPlan withOptions(List<RecoveryOption> ranked) {
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, state, mode, createdAt, updatedAt,
                detectedAt, rtoMillis, message, sequence, steps, snapshot, decidedBy, decidedAt, rpoSeconds, ranked,
                targetRevision);
    }

    /** The name of the first step not done yet, or null when none is left. */
    public String nextStepName() {
        return steps.stream().filter(s -> !s.state().isDone()).map(PlanStep::name).findFirst().orElse(null);
    }

    /** The whole plan as published on {@code cpr.recoveries}. */
    public RecoveryUpdate toUpdate() {
        return new RecoveryUpdate(id, incidentId, clusterId, plan, state, sequence,
                steps.stream().map(PlanStep::view).toList(), message, createdAt, updatedAt, rpoSeconds, rtoMillis,
                PlanDigest.of(this), options);
    }

    /** Short tag for log lines: cluster, plan id and incident. */
    public String tag() {
        return "[cluster=" + clusterId + " plan=" + id + " incident=" + incidentId + "]";
    }
}
