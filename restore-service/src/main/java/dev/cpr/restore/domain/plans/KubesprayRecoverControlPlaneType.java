package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code kubespray-recover-control-plane}: kubespray's recover-control-plane playbook for the broken nodes. */
public final class KubesprayRecoverControlPlaneType implements PlanType {

    @Override
    public String name() {
        return PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE;
    }

    @Override
    public RecoveryMode defaultMode() {
        return RecoveryMode.APPROVAL;
    }

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        List<String> broken = !trigger.memberGiven() ? List.of()
                : List.of(trigger.member().split(",")).stream().map(String::strip).toList();
        List<String> unknown = broken.stream().filter(m -> trigger.cluster().member(m).isEmpty()).toList();
        if (broken.isEmpty() || !unknown.isEmpty()) {
            throw TriggerRefused.badRequest(broken.isEmpty() ? "Missing member" : "Unknown member",
                    "'member' names the broken node(s) for " + name() + " (comma-separated)"
                    + (unknown.isEmpty() ? "" : "; not in cluster " + trigger.cluster().id() + ": " + unknown)
                    + "; members: " + trigger.memberNames());
        }
        Planner.Planning planning = planner.kubesprayRecover(trigger.cluster(), broken, trigger.planId(),
                trigger.incidentId(), null, trigger.now(), trigger.triggeredBy());
        if (planning instanceof Planner.Skip skip) {
            throw TriggerRefused.badRequest("Cannot recover with kubespray", skip.reason());
        }
        return ((Planner.Create) planning).plan();
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        if (plan.snapshot() == null) {
            return ports.kubesprayPlaybook(plan, cluster, Optional.empty());
        }
        // after a quorum loss with a snapshot chosen: fetched and checked as for a quorum restore, then its file is
        // handed to the playbook (-e etcd_snapshot)
        EtcdQuorumRestorePlan restore = EtcdQuorumRestoreType.restoreOf(plan, cluster, ports);
        List<StepSpec> steps = new ArrayList<>();
        steps.add(restore.steps().get(0));
        steps.addAll(ports.kubesprayPlaybook(plan, cluster, Optional.of(restore.snapshotFile().toString())));
        return steps;
    }
}
