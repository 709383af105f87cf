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
            boolean listed = members.stream()
                    .anyMatch(m -> m.name().equals(spec.name()) && m.peerUrls().contains(spec.peerUrl()));
            if (!listed) {
                return Optional.of(spec.name() + " is not a started member of the list");
            }
            Optional<MemberStatus> status = etcd.status(spec.clientUrl());
            if (status.isEmpty() || !status.get().hasLeader()) {
                return Optional.of(spec.name() + " is not healthy");
            }
            statuses.add(status.get());
        }
        Set<Long> leaders = statuses.stream().map(MemberStatus::leaderId).collect(Collectors.toSet());
        long selfLeaders = statuses.stream().filter(MemberStatus::isLeader).count();
        if (leaders.size() != 1 || selfLeaders != 1) {
            return Optional.of("members disagree on the leader: " + leaders + ", " + selfLeaders + " claim it");
        }
        return Optional.empty();
    }
}
