package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.planner.Planner;
import java.util.List;

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
}
