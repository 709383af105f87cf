package dev.cpr.restore.domain.kubespray;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.etcd.EtcdMember;
import dev.cpr.restore.domain.etcd.MemberStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Every inventory member is a started member of etcd's list, answers with a leader, and all name the same one. */
public final class EtcdClusterCheck implements ClusterCheck {

    private final ClusterSpec cluster;
    private final EtcdAdmin etcd;

    public EtcdClusterCheck(ClusterSpec cluster, EtcdAdmin etcd) {
        this.cluster = cluster;
        this.etcd = etcd;
    }

    @Override
    public Optional<String> problem() {
        List<EtcdMember> members;
        try {
            members = etcd.members(cluster);
        } catch (EtcdAdmin.EtcdAdminException e) {
            return Optional.of("member list: " + e.getMessage());
        }
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
