package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import java.util.List;

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

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        ClusterSpec cluster = trigger.cluster();
        if (cluster.bosh() == null) {
            throw TriggerRefused.badRequest("Not a BOSH cluster", "cluster " + cluster.id() + " is not kind: bosh; "
                    + name + " restores BOSH deployments and directors");
        }
        Planner.ArtifactChoice choice = planner.chooseArtifact(cluster, name, trigger.chosenSnapshot());
        if (choice instanceof Planner.NoArtifact none) {
            throw none.catalogDown() ? new TriggerRefused(503, "backup-service unavailable", none.reason())
                    : trigger.chosenSnapshot().isPresent()
                            ? TriggerRefused.badRequest("Unusable artifact", none.reason())
                            : new TriggerRefused(409, "No verified artifact", none.reason());
        }
        return planner.bbrRestore(cluster, name, choice, trigger.planId(), trigger.incidentId(), null, trigger.now(),
                trigger.triggeredBy());
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        return ports.bbrRestore(plan, cluster);
    }
}
