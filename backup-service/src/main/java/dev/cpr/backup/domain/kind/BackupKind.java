package dev.cpr.backup.domain.kind;

import dev.cpr.bosh.bbr.BbrTarget;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a catalog row holds. The kind decides what may be done with it: only {@link #ETCD_V3_SNAPSHOT} rows have a
 * restore drill, a file in the artifact store and a download; BBR rows are an artifact directory verified by checksum
 * when taken ({@code dev.cpr.bosh.bbr.BbrArtifactVerifier}).
 */
public enum BackupKind {
    /** A streamed etcd v3 snapshot in the artifact store, proven by a restore drill. */
    ETCD_V3_SNAPSHOT("etcd-v3-snapshot"),
    /** {@code bbr deployment ... backup} of a {@code kind: bosh} cluster's deployment. */
    BBR_DEPLOYMENT(BbrTarget.DEPLOYMENT),
    /** {@code bbr director ... backup} of the BOSH director of a {@code kind: bosh} cluster. */
    BBR_DIRECTOR(BbrTarget.DIRECTOR);

    private final String wire;

    BackupKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean isBbr() {
        return this != ETCD_V3_SNAPSHOT;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static BackupKind fromWire(String value) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown backup kind '" + value + "', expected one of "
                        + Arrays.stream(values()).map(BackupKind::wire).toList()));
    }

    /** True for a BBR kind's wire name; false for snapshots and for anything unknown. */
    public static boolean isBbr(String wire) {
        return BBR_DEPLOYMENT.wire.equals(wire) || BBR_DIRECTOR.wire.equals(wire);
    }

    /**
     * Why this kind cannot be taken of {@code cluster}, if it cannot: BBR kinds need a {@code kind: bosh} cluster, a
     * director backup also its {@code bosh.director} (host, user, private key).
     */
    public Optional<String> refusal(ClusterSpec cluster) {
        if (!isBbr()) {
            return Optional.empty();
        }
        if (cluster.kind() != ClusterKind.BOSH || cluster.bosh() == null) {
            return Optional.of("kind '" + wire + "' backs up BOSH deployments only; cluster '" + cluster.id()
                    + "' is kind: " + cluster.kind().name().toLowerCase() + " (use etcd-v3-snapshot)");
        }
        if (this == BBR_DIRECTOR) {
            var ssh = cluster.bosh().director();
            if (ssh == null || ssh.host() == null || ssh.privateKeyPath() == null) {
                return Optional.of("kind '" + wire + "' needs the cluster's bosh.director (host, user, "
                        + "private-key-path); cluster '" + cluster.id() + "' has none");
            }
        }
        return Optional.empty();
    }

    /**
     * The kind a scheduled or RPO backup of {@code cluster} takes: a BBR deployment backup for a {@code kind: bosh}
     * cluster (which falls back to an etcd snapshot when a master is down), else an etcd snapshot.
     */
    public static BackupKind routineFor(ClusterSpec cluster) {
        return cluster.kind() == ClusterKind.BOSH && cluster.bosh() != null ? BBR_DEPLOYMENT : ETCD_V3_SNAPSHOT;
    }

    /** Whether a verified row of this kind keeps a cluster within its RPO (a director backup holds no etcd data). */
    public boolean countsForRpo() {
        return this != BBR_DIRECTOR;
    }
}
