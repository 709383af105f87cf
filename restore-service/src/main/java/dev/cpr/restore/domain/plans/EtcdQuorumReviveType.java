package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.etcd.EtcdQuorumRevivePlan;
import dev.cpr.restore.domain.etcd.MemberSurvey;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import java.time.Instant;
import java.util.List;

/**
 * {@code etcd-quorum-revive}: quorum lost, members down with their data intact started again. Loses nothing: runs by
 * itself.
 */
public final class EtcdQuorumReviveType implements PlanType {

    @Override
    public String name() {
        return PlanNames.ETCD_QUORUM_REVIVE;
    }

    @Override
    public RecoveryMode defaultMode() {
        return RecoveryMode.AUTO;
    }

    /** Starts the down members with intact data again, then replaces the others (incidents and manual triggers). */
    public static RecoveryPlan propose(ClusterSpec cluster, List<String> start, List<String> replace, String planId,
            String incidentId, Instant detectedAt, Instant now, String why) {
        RecoveryMode mode = PlanTypes.modeFor(cluster, PlanNames.ETCD_QUORUM_REVIVE);
        return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_QUORUM_REVIVE,
                EtcdQuorumRevivePlan.target(start), Planner.initialState(mode), mode, now, now, detectedAt, null,
                "start " + String.join(", ", start) + " again (" + Planner.modeName(mode) + "); " + why, 1,
                EtcdQuorumRevivePlan.outline(cluster, start, replace));
    }

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        QuorumLossSurvey survey = QuorumLossSurvey.of(trigger, planner);
        List<String> revivable = survey.members().stream().filter(MemberSurvey::revivable)
                .map(MemberSurvey::member).toList();
        List<String> start = survey.named().isEmpty() ? revivable : survey.named();
        List<String> notRevivable = start.stream().filter(m -> !revivable.contains(m)).toList();
        if (start.isEmpty() || !notRevivable.isEmpty()) {
            throw TriggerRefused.badRequest("Nothing to revive", "'member' must name members that are down with "
                    + "their data directory intact" + (notRevivable.isEmpty() ? "" : "; not so: " + notRevivable)
                    + "; survey: " + survey.described());
        }
        long up = survey.members().stream().filter(MemberSurvey::processUp).count();
        int quorum = trigger.cluster().quorum();
        if (up + start.size() < quorum) {
            throw TriggerRefused.badRequest("Too few members to revive", "starting " + start + " leaves "
                    + (up + start.size()) + " members up, quorum needs " + quorum + "; survey: " + survey.described());
        }
        List<String> replace = survey.members().stream().filter(m -> !m.processUp() && !start.contains(m.member()))
                .map(MemberSurvey::member).toList();
        return propose(trigger.cluster(), start, replace, trigger.planId(), trigger.incidentId(), null,
                trigger.now(), survey.why(trigger)).withOptions(survey.ranking().options());
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        return new EtcdQuorumRevivePlan(cluster, plan.id(), EtcdQuorumRevivePlan.startMembers(plan.targetMember()),
                EtcdQuorumRevivePlan.replaceMembers(plan.steps()), ports.etcd(), ports.nodes(), ports.memberSettings(),
                ports.sleeper()).steps();
    }
}
