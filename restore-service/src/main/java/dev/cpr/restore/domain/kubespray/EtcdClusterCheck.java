package dev.cpr.restore.domain.kubespray;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.restore.domain.etcd.ClusterHealth;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.etcd.EtcdMember;
import java.util.List;
import java.util.Optional;

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
        return ClusterHealth.problem(cluster, members, etcd);
    }
}
