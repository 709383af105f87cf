package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.etcd.EtcdSurvivorRebuildPlan;
import dev.cpr.restore.domain.etcd.MemberSurvey;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import dev.cpr.restore.domain.planner.QuorumOptions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code etcd-survivor-rebuild}: quorum lost with too few intact members; a one-member cluster from the most
 * up-to-date survivor, the others added. Loses what the others had alone: a person approves.
 */
public final class EtcdSurvivorRebuildType implements PlanType {

    @Override
    public String name() {
        return PlanNames.ETCD_SURVIVOR_REBUILD;
    }

    @Override
    public RecoveryMode defaultMode() {
        return RecoveryMode.APPROVAL;
    }

    /** Rebuilds the cluster from one surviving member (incidents and manual triggers). */
    public static RecoveryPlan propose(ClusterSpec cluster, String survivor, String planId, String incidentId,
            Instant detectedAt, Instant now, String why) {
        RecoveryMode mode = PlanTypes.modeFor(cluster, PlanNames.ETCD_SURVIVOR_REBUILD);
        return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_SURVIVOR_REBUILD, survivor,
                Planner.initialState(mode), mode, now, now, detectedAt, null, "rebuild from " + survivor + " ("
                + Planner.modeName(mode) + "); " + why, 1, EtcdSurvivorRebuildPlan.outline(cluster, survivor));
    }

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        QuorumLossSurvey survey = QuorumLossSurvey.of(trigger, planner);
        List<String> named = survey.named();
        if (named.size() > 1) {
            throw TriggerRefused.badParameter("member", "names one survivor to rebuild from, not " + named);
        }
        List<MemberSurvey> members = survey.members();
        Optional<MemberSurvey> survivor = named.isEmpty()
                ? survey.ranking().choice() instanceof QuorumOptions.Rebuild rebuild
                        ? members.stream().filter(m -> m.member().equals(rebuild.survivor())).findFirst()
                        : members.stream().filter(MemberSurvey::dataIntact).findFirst()
                : members.stream().filter(m -> m.member().equals(named.get(0))).findFirst();
        if (survivor.isEmpty() || !survivor.get().dataIntact()) {
            throw TriggerRefused.badRequest("No survivor to rebuild from", (named.isEmpty() ? "no member"
                    : "member " + named.get(0)) + " has its data directory intact (member/wal and member/snap/db); "
                    + "survey: " + survey.described());
        }
        return propose(trigger.cluster(), survivor.get().member(), trigger.planId(),
                trigger.incidentId(), null, trigger.now(), survey.why(trigger)).withOptions(survey.ranking().options());
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        return new EtcdSurvivorRebuildPlan(cluster, plan.id(), plan.targetMember(), ports.etcd(), ports.nodes(),
                ports.memberSettings(), ports.restoreSettings(cluster), ports.sleeper()).steps();
    }
}
