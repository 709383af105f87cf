package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import java.util.List;

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

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        Planner.SnapshotChoice choice = planner.chooseSnapshot(trigger.cluster(), trigger.chosenSnapshot());
        if (choice instanceof Planner.NoSnapshot none) {
            throw trigger.chosenSnapshot().isPresent()
                    ? TriggerRefused.badRequest("Unusable snapshot", none.reason())
                    : TriggerRefused.nothingRestorable("No verified snapshot", none.reason());
        }
        if (choice instanceof Planner.CatalogDown down) {
            throw TriggerRefused.catalogUnavailable(down.reason());
        }
        return planner.quorumRestore(trigger.cluster(), choice, trigger.planId(), trigger.incidentId(), null,
                trigger.now(), trigger.triggeredBy());
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        return restoreOf(plan, cluster, ports).steps();
    }

    static EtcdQuorumRestorePlan restoreOf(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        return new EtcdQuorumRestorePlan(cluster, plan.id(), plan.snapshot(), ports.catalog(), ports.etcd(),
                ports.nodes(), ports.restoreSettings(cluster), ports.sleeper());
    }
}
