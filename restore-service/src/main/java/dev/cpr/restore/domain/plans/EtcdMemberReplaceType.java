package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.planner.Planner;

/** {@code etcd-member-replace}: one member replaced in place while quorum holds (runs by itself). */
public final class EtcdMemberReplaceType implements PlanType {

    @Override
    public String name() {
        return PlanNames.ETCD_MEMBER_REPLACE;
    }

    @Override
    public RecoveryMode defaultMode() {
        return RecoveryMode.AUTO;
    }

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        String member = trigger.requiredMember().name();
        RecoveryMode mode = PlanTypes.modeFor(trigger.cluster(), name());
        return planner.memberReplace(trigger.cluster(), member, mode, trigger.planId(), trigger.incidentId(), null,
                trigger.now(), "replace " + member + ", triggered by " + trigger.who() + " ("
                        + ManualTrigger.modeName(mode) + ")");
    }
}
