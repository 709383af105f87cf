package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.NewestPoint;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code etcd-quorum-restore}: the whole cluster rebuilt from a verified snapshot. Loses data: a person approves. */
public final class EtcdQuorumRestoreType implements PlanType {

    @Override
    public String name() {
        return PlanNames.ETCD_QUORUM_RESTORE;
    }

    @Override
    public RecoveryMode defaultMode() {
        return RecoveryMode.APPROVAL;
    }

    /**
     * A quorum restore from the chosen snapshot, in the state its policy says; FAILED at once (with the reason
     * as its message) when there is no snapshot to restore from: never a made-up snapshot.
     */
    public static RecoveryPlan propose(ClusterSpec cluster, SnapshotChoice choice, String planId, String incidentId,
            Instant detectedAt, Instant now, String cause) {
        RecoveryMode mode = PlanTypes.modeFor(cluster, PlanNames.ETCD_QUORUM_RESTORE);
        if (choice instanceof SnapshotChoice.Chosen chosen) {
            SnapshotRef ref = chosen.snapshot();
            return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_QUORUM_RESTORE, null,
                    Planner.initialState(mode), mode, now, now, detectedAt, null, cause + ": restore every member from "
                    + ref.describe() + " (" + Planner.modeName(mode) + ")", 1,
                    EtcdQuorumRestorePlan.outline(cluster, ref)).withSnapshot(ref);
        }
        return failed(cluster, choice, planId, incidentId, detectedAt, now, cause, mode);
    }

    /**
     * The planner's quorum restore: from the chosen snapshot to the newest point the change log reaches after it
     * ({@link NewestPoint}), or the snapshot only when the change log is off, unreachable or has nothing after it. The
     * plan's message says which point it restores and what it does not.
     *
     * @param changeLog backup-service's change log; null when none is configured
     */
    public static RecoveryPlan proposeNewestPoint(ClusterSpec cluster, SnapshotChoice choice, ChangeLogSource changeLog,
            String planId, String incidentId, Instant detectedAt, Instant now, String cause) {
        RecoveryMode mode = PlanTypes.modeFor(cluster, PlanNames.ETCD_QUORUM_RESTORE);
        if (!(choice instanceof SnapshotChoice.Chosen chosen)) {
            return failed(cluster, choice, planId, incidentId, detectedAt, now, cause, mode);
        }
        SnapshotRef ref = chosen.snapshot();
        NewestPoint.Point point = NewestPoint.of(changeLog, cluster.id(), ref.revision());
        Long target = point instanceof NewestPoint.Target t ? t.revision() : null;
        RecoveryPlan plan = new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_QUORUM_RESTORE, null,
                Planner.initialState(mode), mode, now, now, detectedAt, null, cause + ": restore every member from "
                + ref.describe() + ", " + point.describe() + " (" + Planner.modeName(mode) + ")", 1,
                EtcdQuorumRestorePlan.outline(cluster, ref, target)).withSnapshot(ref);
        return target == null ? plan : plan.withTargetRevision(target);
    }

    private static RecoveryPlan failed(ClusterSpec cluster, SnapshotChoice choice, String planId, String incidentId,
            Instant detectedAt, Instant now, String cause, RecoveryMode mode) {
        return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_QUORUM_RESTORE, null,
                PlanState.FAILED, mode, now, now, detectedAt, null, cause + ": cannot propose a restore: "
                + choice.reason() + "; a person must restore " + cluster.id() + " by hand (seed 000/002)", 1,
                EtcdQuorumRestorePlan.outline(cluster, null));
    }

    /**
     * The snapshot a restore of this cluster would use: the one asked for, or the newest verified one.
     *
     * @param catalog backup-service's catalog; null when none is configured
     */
    public static SnapshotChoice chooseSnapshot(SnapshotCatalog catalog, ClusterSpec cluster,
            Optional<String> snapshotId) {
        if (catalog == null) {
            return new SnapshotChoice.CatalogDown("no backup-service catalog is configured "
                    + "(cpr.restore.backup-service-url)");
        }
        try {
            if (snapshotId.isPresent()) {
                Optional<SnapshotRef> ref = catalog.verified(snapshotId.get());
                if (ref.isEmpty()) {
                    return new SnapshotChoice.NoSnapshot("snapshot " + snapshotId.get() + " is not a verified snapshot "
                            + "in backup-service's catalog");
                }
                if (!cluster.id().equals(ref.get().clusterId())) {
                    return new SnapshotChoice.NoSnapshot("snapshot " + snapshotId.get() + " belongs to cluster "
                            + ref.get().clusterId() + ", not " + cluster.id());
                }
                return new SnapshotChoice.Chosen(ref.get());
            }
            return catalog.newestVerified(cluster.id()).<SnapshotChoice>map(SnapshotChoice.Chosen::new)
                    .orElseGet(() -> new SnapshotChoice.NoSnapshot("backup-service has no verified snapshot of "
                            + cluster.id()));
        } catch (SnapshotCatalog.CatalogUnavailableException e) {
            return new SnapshotChoice.CatalogDown("backup-service is unreachable: " + e.getMessage());
        }
    }

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        SnapshotChoice choice = chooseSnapshot(planner.snapshotCatalog(), trigger.cluster(), trigger.chosenSnapshot());
        return propose(trigger.cluster(), chosenOrRefused(choice, trigger), trigger.planId(), trigger.incidentId(), null,
                trigger.now(), trigger.triggeredBy());
    }

    /**
     * A manual trigger's snapshot, or the refusal REST answers with: 400 for a named snapshot that cannot be used, 409
     * when none is verified, 503 when backup-service cannot be asked.
     */
    static SnapshotChoice.Chosen chosenOrRefused(SnapshotChoice choice, ManualTrigger trigger) {
        if (choice instanceof SnapshotChoice.NoSnapshot none) {
            throw trigger.chosenSnapshot().isPresent()
                    ? TriggerRefused.badRequest("Unusable snapshot", none.reason())
                    : TriggerRefused.nothingRestorable("No verified snapshot", none.reason());
        }
        if (choice instanceof SnapshotChoice.CatalogDown down) {
            throw TriggerRefused.catalogUnavailable(down.reason());
        }
        return (SnapshotChoice.Chosen) choice;
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        return asStored(plan, restoreOf(plan, cluster, ports).steps());
    }

    /**
     * The runbook a plan was stored with: a quorum restore proposed before the point-in-time steps existed (no
     * {@code fetch-change-log} among its steps, no target) runs without them, as it was approved, instead of failing
     * the engine's check that the stored steps are the plan's.
     */
    static List<StepSpec> asStored(RecoveryPlan plan, List<StepSpec> specs) {
        Set<String> stored = plan.steps().stream().map(PlanStep::name).collect(Collectors.toSet());
        if (plan.targetRevision() != null || stored.contains(EtcdQuorumRestorePlan.FETCH_CHANGE_LOG)) {
            return specs;
        }
        return specs.stream().filter(spec -> stored.contains(spec.name())).toList();
    }

    /** The runbook of a stored plan; with the plan's target revision, if it records one, and what reaches it. */
    static EtcdQuorumRestorePlan restoreOf(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        EtcdQuorumRestorePlan.PointInTime point = plan.targetRevision() == null ? null
                : new EtcdQuorumRestorePlan.PointInTime(plan.targetRevision(), ports.changeLog(), ports.changeReplay());
        return new EtcdQuorumRestorePlan(cluster, plan.id(), plan.snapshot(), point, ports.catalog(), ports.etcd(),
                ports.nodes(), ports.restoreSettings(cluster), ports.sleeper());
    }
}
