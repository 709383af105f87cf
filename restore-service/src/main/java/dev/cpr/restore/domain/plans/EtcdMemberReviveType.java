package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.etcd.EtcdMemberRevivePlan;
import dev.cpr.restore.domain.etcd.MemberSurvey;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import java.time.Instant;
import java.util.List;

/**
 * {@code etcd-member-revive}: a failed member with its data intact is started again (or given time while it
 * restarts) and replaced only if it does not come back. Since it may end in a replace, it never runs with less
 * approval than a member replace would need on the same cluster.
 */
public final class EtcdMemberReviveType implements PlanType {

    @Override
    public String name() {
        return PlanNames.ETCD_MEMBER_REVIVE;
    }

    @Override
    public RecoveryMode defaultMode() {
        return RecoveryMode.AUTO;
    }

    /** The stricter of the policy's modes for a revive and for the replace it may end in. */
    public static RecoveryMode modeFor(ClusterSpec cluster) {
        RecoveryMode revive = PlanTypes.modeFor(cluster, PlanNames.ETCD_MEMBER_REVIVE);
        RecoveryMode replace = PlanTypes.modeFor(cluster, PlanNames.ETCD_MEMBER_REPLACE);
        return strictness(revive) >= strictness(replace) ? revive : replace;
    }

    private static int strictness(RecoveryMode mode) {
        return switch (mode) {
            case AUTO -> 0;
            case APPROVAL -> 1;
            case NOTIFY_ONLY -> 2;
        };
    }

    /** A member revive proposed in the given mode (incidents and manual triggers). */
    public static RecoveryPlan propose(ClusterSpec cluster, String member, RecoveryMode mode, String planId,
            String incidentId, Instant detectedAt, Instant now, String why) {
        return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_MEMBER_REVIVE, member,
                Planner.initialState(mode), mode, now, now, detectedAt, null, why, 1,
                EtcdMemberRevivePlan.outline(member));
    }

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        ClusterSpec cluster = trigger.cluster();
        MemberSpec member = trigger.requiredMember();
        if (!planner.surveyable(cluster)) {
            throw TriggerRefused.badRequest("Not a plain etcd cluster", name() + " needs a cluster of kind etcd whose "
                    + "members restore-service reaches with access local or ssh; " + cluster.id() + " is "
                    + cluster.kind().name().toLowerCase());
        }
        MemberSurvey survey = planner.surveyMember(cluster, member.name());
        if (!survey.dataIntact()) {
            throw TriggerRefused.badRequest("Nothing to revive", member.name() + " has no intact data directory to "
                    + "start on (member/wal and member/snap/db); use " + PlanNames.ETCD_MEMBER_REPLACE + "; survey: "
                    + survey.describe());
        }
        RecoveryMode mode = modeFor(cluster);
        return propose(cluster, member.name(), mode, trigger.planId(), trigger.incidentId(), null, trigger.now(),
                "revive " + member.name() + ", triggered by " + trigger.who() + " (" + ManualTrigger.modeName(mode)
                        + "); survey: " + survey.describe());
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        MemberSpec target = EtcdMemberReplaceType.target(plan, cluster);
        return new EtcdMemberRevivePlan(cluster, target, ports.etcd(), ports.nodes(),
                EtcdMemberReplaceType.replaceOf(plan, cluster, ports), ports.memberReviveWait(),
                ports.memberSettings().pollInterval(), ports.sleeper(), plan.steps()).steps();
    }
}
