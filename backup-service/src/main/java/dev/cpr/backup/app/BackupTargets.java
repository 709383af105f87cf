package dev.cpr.backup.app;

import dev.cpr.backup.domain.policy.ClusterBackupPolicy;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import jakarta.enterprise.context.ApplicationScoped;

/** Which inventory cluster a request means, and the backup policy and compression that apply to it. */
@ApplicationScoped
public class BackupTargets {

    private final Inventory inventory;
    private final BackupPolicies policies;

    public BackupTargets(Inventory inventory, BackupPolicies policies) {
        this.inventory = inventory;
        this.policies = policies;
    }

    public ClusterSpec cluster(String clusterId) {
        if (clusterId == null || clusterId.isBlank()) {
            throw BackupRequestRefused.badRequest("'cluster' is required");
        }
        return inventory.cluster(clusterId).orElseThrow(() -> BackupRequestRefused.badRequest("unknown cluster '"
                + clusterId + "'; the inventory has " + inventory.clusters().stream().map(ClusterSpec::id).toList()));
    }

    /** The effective backup policy of an inventory cluster (inventory first, then config). */
    public ClusterBackupPolicy policy(String clusterId) {
        cluster(clusterId);
        return policies.of(clusterId).orElseThrow();
    }

    /** The requested compression, or the cluster's policy's when none was asked for. */
    public Compression compression(String clusterId, String requested) {
        if (requested == null) {
            return policy(clusterId).compression();
        }
        try {
            return Compression.fromWire(requested);
        } catch (IllegalArgumentException e) {
            throw BackupRequestRefused.badRequest(e.getMessage());
        }
    }
}
