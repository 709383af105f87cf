package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.util.List;
import java.util.Optional;

/**
 * {@code etcd-point-in-time-restore}: the quorum restore's runbook with a target revision. The newest verified
 * snapshot at or before the target is restored, then the change log is replayed up to the target (the steps
 * {@code fetch-change-log}, {@code replay-changes}, {@code verify-point} of {@link EtcdQuorumRestorePlan}). A person
 * asks for it with {@code targetRevision} or {@code targetTime} (exactly one); a time is resolved to a revision when
 * the plan is proposed, so the approval shows the exact revision. The planner never chooses it.
 */
public final class EtcdPointInTimeRestoreType implements PlanType {

    static final String TARGET_REVISION = "targetRevision";
    static final String TARGET_TIME = "targetTime";

    @Override
    public String name() {
        return PlanNames.ETCD_POINT_IN_TIME_RESTORE;
    }

    /** Replaces every member's data: a person approves. */
    @Override
    public RecoveryMode defaultMode() {
        return RecoveryMode.APPROVAL;
    }

    @Override
    public boolean takesTarget() {
        return true;
    }

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        Target target = target(trigger, planner.changeLog());
        SnapshotRef ref = EtcdQuorumRestoreType.chosenOrRefused(
                chooseSnapshot(planner.snapshotCatalog(), trigger, target.revision()), trigger).snapshot();
        ClusterSpec cluster = trigger.cluster();
        RecoveryMode mode = PlanTypes.modeFor(cluster, name());
        String message = trigger.triggeredBy() + ": restore every member from " + ref.describe()
                + ", then replay the change log to revision " + target.revision() + target.how() + ", "
                + (target.revision() - ref.revision()) + " revisions after the snapshot ("
                + Planner.modeName(mode) + ")";
        return new RecoveryPlan(trigger.planId(), trigger.incidentId(), cluster.id(), name(), null,
                Planner.initialState(mode), mode, trigger.now(), trigger.now(), null, null, message, 1,
                EtcdQuorumRestorePlan.outline(cluster, ref, target.revision()))
                .withSnapshot(ref).withTargetRevision(target.revision());
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        if (plan.targetRevision() == null) {
            throw new IllegalStateException("plan " + plan.id() + " is a " + name() + " without a target revision");
        }
        return EtcdQuorumRestoreType.restoreOf(plan, cluster, ports).steps();
    }

    /** The revision asked for, and how it was found (empty for a revision given as such). */
    record Target(long revision, String how) {
    }

    /** Exactly one of {@code targetRevision} and {@code targetTime}; a time becomes the revision seen at it. */
    static Target target(ManualTrigger trigger, ChangeLogSource changeLog) {
        if (trigger.targetRevision() != null && trigger.targetTime() != null) {
            throw TriggerRefused.badRequest("Bad request parameters '" + TARGET_REVISION + "' and '" + TARGET_TIME + "'",
                    "give either 'targetRevision' or 'targetTime' for " + PlanNames.ETCD_POINT_IN_TIME_RESTORE
                            + ", not both");
        }
        if (trigger.targetRevision() != null) {
            if (trigger.targetRevision() <= 0) {
                throw TriggerRefused.badParameter(TARGET_REVISION, "'targetRevision' must be a revision (1 or more), was "
                        + trigger.targetRevision());
            }
            return new Target(trigger.targetRevision(), "");
        }
        if (trigger.targetTime() == null) {
            throw TriggerRefused.badParameter(TARGET_REVISION, "'targetRevision' or 'targetTime' is required for "
                    + PlanNames.ETCD_POINT_IN_TIME_RESTORE + ": the revision, or the moment (ISO-8601), to restore "
                    + trigger.cluster().id() + " to");
        }
        if (changeLog == null) {
            throw TriggerRefused.catalogUnavailable("no backup-service change log is configured "
                    + "(cpr.restore.backup-service-url): 'targetTime' cannot be resolved to a revision");
        }
        Optional<ChangeLogSource.RevisionAt> at;
        try {
            at = changeLog.revisionAt(trigger.cluster().id(), trigger.targetTime());
        } catch (ChangeLogSource.ChangeLogUnavailable e) {
            throw TriggerRefused.catalogUnavailable(e.getMessage());
        }
        ChangeLogSource.RevisionAt found = at.orElseThrow(() -> TriggerRefused.badParameter(TARGET_TIME,
                "the change log of " + trigger.cluster().id() + " holds no change at or before " + trigger.targetTime()
                        + " (is cpr.changelog.enabled on in backup-service?)"));
        return new Target(found.revision(), " (the revision at " + trigger.targetTime() + ": its change was seen at "
                + found.changedAt() + ")");
    }

    /** The snapshot asked for, or the newest verified one at or before the target. */
    static SnapshotChoice chooseSnapshot(SnapshotCatalog catalog, ManualTrigger trigger, long target) {
        ClusterSpec cluster = trigger.cluster();
        if (trigger.chosenSnapshot().isPresent()) {
            SnapshotChoice chosen = EtcdQuorumRestoreType.chooseSnapshot(catalog, cluster, trigger.chosenSnapshot());
            if (chosen instanceof SnapshotChoice.Chosen c && c.snapshot().revision() > target) {
                return new SnapshotChoice.NoSnapshot("snapshot " + c.snapshot().id() + " is at revision "
                        + c.snapshot().revision() + ", after the target revision " + target
                        + ": a replay only goes forward from the snapshot");
            }
            return chosen;
        }
        if (catalog == null) {
            return new SnapshotChoice.CatalogDown("no backup-service catalog is configured "
                    + "(cpr.restore.backup-service-url)");
        }
        try {
            return catalog.newestVerifiedAtOrBefore(cluster.id(), target)
                    .<SnapshotChoice>map(SnapshotChoice.Chosen::new)
                    .orElseGet(() -> new SnapshotChoice.NoSnapshot("backup-service has no verified snapshot of "
                            + cluster.id() + " at or before revision " + target));
        } catch (SnapshotCatalog.CatalogUnavailableException e) {
            return new SnapshotChoice.CatalogDown("backup-service is unreachable: " + e.getMessage());
        }
    }
}
