package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import java.time.Instant;
import java.util.List;

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

    /** A member replace proposed as the policy says (manual triggers and incidents). */
    public static RecoveryPlan propose(ClusterSpec cluster, String member, RecoveryMode mode, String planId,
            String incidentId, Instant detectedAt, Instant now, String why) {
        return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_MEMBER_REPLACE, member,
                Planner.initialState(mode), mode, now, now, detectedAt, null, why, 1, EtcdMemberReplacePlan.outline(member));
    }

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        String member = trigger.requiredMember().name();
        RecoveryMode mode = PlanTypes.modeFor(trigger.cluster(), name());
        return propose(trigger.cluster(), member, mode, trigger.planId(), trigger.incidentId(), null,
                trigger.now(), "replace " + member + ", triggered by " + trigger.who() + " ("
                        + ManualTrigger.modeName(mode) + ")");
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        return replaceOf(plan, cluster, ports).steps();
    }

    /** The member replace of the plan's target (on its own, or as the second half of a BOSH cloud check). */
    static EtcdMemberReplacePlan replaceOf(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        return new EtcdMemberReplacePlan(cluster, target(plan, cluster), plan.id(), ports.etcd(), ports.nodes(),
                ports.memberSettings(), ports.sleeper(), new EtcdMemberReplacePlan.SafetySource(ports.catalog(),
                        plan.incidentId(), ports.incidentSnapshotWait()));
    }

    static MemberSpec target(RecoveryPlan plan, ClusterSpec cluster) {
        return cluster.member(plan.targetMember()).orElseThrow(() -> new IllegalStateException(
                "member " + plan.targetMember() + " is not in the inventory of " + cluster.id()));
    }
}
