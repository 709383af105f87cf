package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.bosh.BoshCloudCheckPlan;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import java.time.Instant;
import java.util.List;

/**
 * {@code bosh-cloud-check}: what BOSH's resurrector would do for one master (recreate its VM), then its etcd member
 * replaced if it still fails. Runs by itself.
 */
public final class BoshCloudCheckType implements PlanType {

    @Override
    public String name() {
        return PlanNames.BOSH_CLOUD_CHECK;
    }

    @Override
    public RecoveryMode defaultMode() {
        return RecoveryMode.AUTO;
    }

    /** A cloud check of one master proposed as the policy says (incidents and manual triggers). */
    public static RecoveryPlan propose(ClusterSpec cluster, String member, RecoveryMode mode, String planId,
            String incidentId, Instant detectedAt, Instant now, String why) {
        String instance = cluster.member(member).filter(Planner::hasBoshInstance)
                .map(m -> m.access().instance())
                .orElseThrow(() -> new IllegalArgumentException("member " + member + " of " + cluster.id()
                        + " has no BOSH instance (access {type: bosh, instance})"));
        return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.BOSH_CLOUD_CHECK, member,
                Planner.initialState(mode), mode, now, now, detectedAt, null, why, 1,
                BoshCloudCheckPlan.outline(member, instance));
    }

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        MemberSpec member = trigger.requiredMember();
        RecoveryMode mode = PlanTypes.modeFor(trigger.cluster(), name());
        if (!Planner.hasBoshInstance(member)) {
            throw TriggerRefused.badRequest("Not a BOSH member", "member '" + member.name() + "' of cluster "
                    + trigger.cluster().id() + " has no BOSH instance: " + name() + " needs access {type: bosh, "
                    + "deployment, instance} in the inventory");
        }
        return propose(trigger.cluster(), member.name(), mode, trigger.planId(), trigger.incidentId(),
                null, trigger.now(), "cloud-check " + member.name() + ", triggered by " + trigger.who() + " ("
                        + ManualTrigger.modeName(mode) + ")");
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        return new BoshCloudCheckPlan(cluster, EtcdMemberReplaceType.target(plan, cluster), ports.director(cluster),
                ports.etcd(), EtcdMemberReplaceType.replaceOf(plan, cluster, ports), ports.cloudCheckSettings(),
                ports.sleeper(), plan.steps()).steps();
    }
}
