package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.bbr.BbrArtifactCatalog;
import dev.cpr.restore.domain.bbr.BbrArtifactRef;
import dev.cpr.restore.domain.bbr.BbrRestorePlan;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code bbr-deployment-restore} and {@code bbr-director-restore}: {@code bbr ... restore} from the newest verified
 * artifact (or the one named). One class for both: they differ only in what bbr restores. A person approves.
 */
public final class BbrRestoreType implements PlanType {

    private final String name;

    private BbrRestoreType(String name) {
        this.name = name;
    }

    public static BbrRestoreType deployment() {
        return new BbrRestoreType(PlanNames.BBR_DEPLOYMENT_RESTORE);
    }

    public static BbrRestoreType director() {
        return new BbrRestoreType(PlanNames.BBR_DIRECTOR_RESTORE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RecoveryMode defaultMode() {
        return RecoveryMode.APPROVAL;
    }

    /**
     * A BBR restore from the chosen artifact (its backup id is the plan's target), in the state its policy says;
     * FAILED at once, with the reason, when there is no verified artifact to restore from.
     */
    public static RecoveryPlan propose(ClusterSpec cluster, String planName, ArtifactChoice choice, String planId,
            String incidentId, Instant detectedAt, Instant now, String cause) {
        RecoveryMode mode = PlanTypes.modeFor(cluster, planName);
        if (choice instanceof ArtifactChoice.Chosen chosen) {
            BbrArtifactRef artifact = chosen.artifact();
            return new RecoveryPlan(planId, incidentId, cluster.id(), planName, artifact.id(), Planner.initialState(mode), mode,
                    now, now, detectedAt, null, cause + ": bbr restore from " + artifact.describe() + " ("
                    + Planner.modeName(mode) + ")", 1, BbrRestorePlan.outline(planName, artifact))
                    .withSnapshot(asRestoredData(artifact));
        }
        return new RecoveryPlan(planId, incidentId, cluster.id(), planName, null, PlanState.FAILED, mode, now, now,
                detectedAt, null, cause + ": cannot propose a restore: " + ((ArtifactChoice.NoArtifact) choice).reason()
                + "; a person must restore " + cluster.id() + " by hand (seed 000/003)", 1,
                BbrRestorePlan.outline(planName, null));
    }

    /**
     * The bbr artifact a restore would use: the one asked for, or the newest verified one of the plan's kind.
     *
     * @param artifacts backup-service's catalog; null when none is configured
     */
    public static ArtifactChoice chooseArtifact(BbrArtifactCatalog artifacts, ClusterSpec cluster, String planName,
            Optional<String> backupId) {
        String kind = BbrRestorePlan.kindOf(planName);
        if (artifacts == null) {
            return new ArtifactChoice.NoArtifact("no backup-service catalog is configured "
                    + "(cpr.restore.backup-service-url)", true);
        }
        try {
            if (backupId.isPresent()) {
                Optional<BbrArtifactRef> ref = artifacts.verified(backupId.get());
                if (ref.isEmpty() || !kind.equals(ref.get().kind())) {
                    return new ArtifactChoice.NoArtifact("backup " + backupId.get() + " is not a verified " + kind
                            + " artifact in backup-service's catalog", false);
                }
                if (!cluster.id().equals(ref.get().clusterId())) {
                    return new ArtifactChoice.NoArtifact("backup " + backupId.get() + " belongs to cluster "
                            + ref.get().clusterId() + ", not " + cluster.id(), false);
                }
                return new ArtifactChoice.Chosen(ref.get());
            }
            return artifacts.newestVerified(cluster.id(), kind).<ArtifactChoice>map(ArtifactChoice.Chosen::new)
                    .orElseGet(() -> new ArtifactChoice.NoArtifact("backup-service has no verified " + kind
                            + " artifact of " + cluster.id(), false));
        } catch (SnapshotCatalog.CatalogUnavailableException e) {
            return new ArtifactChoice.NoArtifact("backup-service is unreachable: " + e.getMessage(), true);
        }
    }

    /**
     * The artifact as the data a restore brings back: its id and when it was taken, so the plan's RPO is measured like
     * an etcd restore's (revision and key count are not known for a bbr artifact: 0).
     */
    public static SnapshotRef asRestoredData(BbrArtifactRef artifact) {
        return new SnapshotRef(artifact.id(), artifact.clusterId(), 0, 0, artifact.createdAt(), null, "bbr", null);
    }

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        ClusterSpec cluster = trigger.cluster();
        if (cluster.bosh() == null) {
            throw TriggerRefused.badRequest("Not a BOSH cluster", "cluster " + cluster.id() + " is not kind: bosh; "
                    + name + " restores BOSH deployments and directors");
        }
        ArtifactChoice choice = chooseArtifact(planner.artifactCatalog(), cluster, name,
                trigger.chosenSnapshot());
        if (choice instanceof ArtifactChoice.NoArtifact none) {
            throw none.catalogDown() ? TriggerRefused.catalogUnavailable(none.reason())
                    : trigger.chosenSnapshot().isPresent()
                            ? TriggerRefused.badRequest("Unusable artifact", none.reason())
                            : TriggerRefused.nothingRestorable("No verified artifact", none.reason());
        }
        return propose(cluster, name, choice, trigger.planId(), trigger.incidentId(), null, trigger.now(),
                trigger.triggeredBy());
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        return ports.bbrRestore(plan, cluster);
    }
}
