package dev.cpr.contracts.inventory;

import java.util.List;
import java.util.Optional;

/**
 * A cluster cpr watches and recovers.
 *
 * @param initialClusterToken the token its members were started with; defaults to the cluster id
 * @param bosh                the director and deployment of a {@code kind: bosh} cluster; null otherwise
 * @param backup              schedule, retention and RPO of its backups; null: manual and incident snapshots only
 */
public record ClusterSpec(
        String id,
        ClusterKind kind,
        String initialClusterToken,
        TlsSpec tls,
        List<MemberSpec> members,
        RecoveryPolicy policy,
        BoshSpec bosh,
        BackupPolicy backup) {

    /** A cluster that is not BOSH-managed. */
    public ClusterSpec(String id, ClusterKind kind, String initialClusterToken, TlsSpec tls, List<MemberSpec> members,
            RecoveryPolicy policy) {
        this(id, kind, initialClusterToken, tls, members, policy, null, null);
    }

    public BackupPolicy backupOrDefaults() {
        return backup != null ? backup : new BackupPolicy(null, null, null, null, null, null);
    }

    public Optional<MemberSpec> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public String token() {
        return initialClusterToken != null ? initialClusterToken : id;
    }

    public RecoveryPolicy policyOrDefaults() {
        return policy != null ? policy : RecoveryPolicy.DEFAULTS;
    }

    /** The majority needed to commit: 2 of 3, 3 of 5. */
    public int quorum() {
        return members.size() / 2 + 1;
    }

    /** {@code name=peer-url,...} as etcd's {@code --initial-cluster} wants it. */
    public String initialClusterFlag() {
        return String.join(",", members.stream().map(m -> m.name() + "=" + m.peerUrl()).toList());
    }

    public String clientEndpoints() {
        return String.join(",", members.stream().map(MemberSpec::clientUrl).toList());
    }
}
