package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.restore.domain.etcd.MemberSurvey;
import dev.cpr.restore.domain.planner.Planner;
import dev.cpr.restore.domain.planner.QuorumOptions;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a revive or survivor rebuild by hand starts from: the members surveyed first, so a request the survey
 * contradicts is refused (400) naming the member and what the survey found.
 *
 * @param named   the members the request names
 * @param ranking the survey and the ranked ways out
 */
record QuorumLossSurvey(List<String> named, QuorumOptions.Ranking ranking) {

    static QuorumLossSurvey of(ManualTrigger trigger, Planner planner) {
        ClusterSpec cluster = trigger.cluster();
        if (!planner.surveyable(cluster)) {
            throw TriggerRefused.badRequest("Not a plain etcd cluster", trigger.planName() + " needs a cluster of kind "
                    + "etcd whose members restore-service reaches with access local or ssh; " + cluster.id() + " is "
                    + cluster.kind().name().toLowerCase());
        }
        List<String> named = trigger.namedMembers();
        List<String> unknown = named.stream().filter(m -> cluster.member(m).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw TriggerRefused.badRequest("Unknown member", "member(s) " + unknown + " not in cluster " + cluster.id()
                    + "; members: " + trigger.memberNames());
        }
        return new QuorumLossSurvey(named, planner.rankQuorumLoss(cluster, trigger.now()));
    }

    List<MemberSurvey> members() {
        return ranking.members();
    }

    /** Every member's survey, for a refusal's message. */
    String described() {
        return ranking.members().stream().map(MemberSurvey::describe).collect(Collectors.joining("; "));
    }

    /** The plan's message: who triggered it and the ranking. */
    String why(ManualTrigger trigger) {
        return trigger.triggeredBy() + ": " + ranking.describe();
    }
}
