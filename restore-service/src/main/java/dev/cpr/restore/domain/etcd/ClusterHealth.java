package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What "the cluster is whole again" means after a plan: every inventory member is a started member of
 * etcd's list, answers with a leader, and all of them name the same one.
 */
public final class ClusterHealth {

    private ClusterHealth() {
    }

    /**
     * The first thing wrong, or empty when the cluster is whole.
     *
     * @param members etcd's member list, as the caller fetched it (callers differ in what a failed fetch means)
     */
    public static Optional<String> problem(ClusterSpec cluster, List<EtcdMember> members, EtcdAdmin etcd) {
        List<MemberStatus> statuses = new ArrayList<>();
        for (MemberSpec spec : cluster.members()) {
            if (!listed(spec, members)) {
                return Optional.of(spec.name() + " is not a started member of the list");
            }
            Optional<MemberStatus> status = etcd.status(spec.clientUrl());
            if (status.isEmpty() || !status.get().hasLeader()) {
                return Optional.of(spec.name() + " is not healthy");
            }
            statuses.add(status.get());
        }
        return disagreement(statuses);
    }

    /**
     * What a plan for one member verifies at its end: that member is a started member of the list answering with a
     * leader, every inventory member is listed, and the members that answer agree on one leader and make a quorum.
     * Another member found down is not this plan's to wait for: health-monitor opens an incident of its own for it,
     * which restore-service plans when this plan ends, so waiting for it here would hold that plan back and then fail
     * this one, whose member is back.
     */
    public static MemberPlanCheck afterMemberPlan(ClusterSpec cluster, MemberSpec target, List<EtcdMember> members,
            EtcdAdmin etcd) {
        List<MemberStatus> answering = new ArrayList<>();
        List<String> othersDown = new ArrayList<>();
        for (MemberSpec spec : cluster.members()) {
            if (!listed(spec, members)) {
                return MemberPlanCheck.failing(spec.name() + " is not a started member of the list");
            }
            Optional<MemberStatus> status = etcd.status(spec.clientUrl());
            if (status.isPresent() && status.get().hasLeader()) {
                answering.add(status.get());
            } else if (spec.name().equals(target.name())) {
                return MemberPlanCheck.failing(spec.name() + " is not healthy");
            } else {
                othersDown.add(spec.name());
            }
        }
        int quorum = cluster.members().size() / 2 + 1;
        if (answering.size() < quorum) {
            return MemberPlanCheck.failing(answering.size() + " of " + cluster.members().size()
                    + " members answer with a leader, a quorum needs " + quorum);
        }
        Optional<String> disagreement = disagreement(answering);
        if (disagreement.isPresent()) {
            return MemberPlanCheck.failing(disagreement.get());
        }
        String whole = answering.size() + "/" + cluster.members().size() + " members listed and healthy, one leader";
        return new MemberPlanCheck(Optional.empty(), othersDown.isEmpty() ? whole : whole + "; " + target.name()
                + " back; " + String.join(", ", othersDown) + " down, left to its own incident");
    }

    /** A started member of etcd's list, under its inventory name and peer URL. */
    private static boolean listed(MemberSpec spec, List<EtcdMember> members) {
        return members.stream().anyMatch(m -> m.name().equals(spec.name()) && m.peerUrls().contains(spec.peerUrl()));
    }

    /** Unless the members that answered name one leader, which is one of them, what they disagree on. */
    private static Optional<String> disagreement(List<MemberStatus> statuses) {
        Set<Long> leaders = statuses.stream().map(MemberStatus::leaderId).collect(Collectors.toSet());
        long selfLeaders = statuses.stream().filter(MemberStatus::isLeader).count();
        if (leaders.size() != 1 || selfLeaders != 1) {
            return Optional.of("members disagree on the leader: " + leaders + ", " + selfLeaders + " claim it");
        }
        return Optional.empty();
    }

    /** {@link #afterMemberPlan}'s answer: what is wrong, or how the cluster was found. */
    public record MemberPlanCheck(Optional<String> problem, String found) {

        static MemberPlanCheck failing(String problem) {
            return new MemberPlanCheck(Optional.of(problem), null);
        }
    }
}
