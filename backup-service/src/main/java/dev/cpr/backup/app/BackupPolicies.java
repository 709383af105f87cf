package dev.cpr.backup.app;

import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.policy.ClusterBackupPolicy;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.contracts.inventory.BackupPolicy;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every inventory cluster's effective backup policy, resolved once at start-up: the inventory's {@code backup:}
 * section first, then {@code cpr.backup.schedules."<id>"} / {@code cpr.backup.rpo."<id>"}, then the global
 * {@code cpr.backup.retention.*}, {@code cpr.backup.compression} and {@code cpr.backup.incident-snapshot.enabled}.
 * A per-cluster config key naming a cluster the inventory does not have fails the start.
 */
@ApplicationScoped
public class BackupPolicies {

    private final Map<String, ClusterBackupPolicy> policies = new LinkedHashMap<>();

    public BackupPolicies(Inventory inventory, BackupConfig config) {
        Set<String> unknown = new TreeSet<>(config.schedules().keySet());
        unknown.addAll(config.rpo().keySet());
        inventory.clusters().forEach(c -> unknown.remove(c.id()));
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("cpr.backup.schedules/cpr.backup.rpo name clusters the inventory does not have: "
                    + unknown + "; the inventory has " + inventory.clusters().stream().map(ClusterSpec::id).toList());
        }
        Compression compression;
        try {
            compression = Compression.fromWire(config.compression());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cpr.backup.compression: " + e.getMessage(), e);
        }
        Optional<dev.cpr.backup.domain.retention.RetentionPolicy> retention;
        try {
            retention = ClusterBackupPolicy.retention("cpr.backup.retention",
                    new BackupPolicy.Retention(config.retention().policy(), config.retention().keep()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        for (ClusterSpec cluster : inventory.clusters()) {
            ClusterBackupPolicy.Defaults defaults = new ClusterBackupPolicy.Defaults(
                    Optional.ofNullable(config.schedules().get(cluster.id())), retention,
                    Optional.ofNullable(config.rpo().get(cluster.id())), compression, config.incidentSnapshot().enabled());
            try {
                policies.put(cluster.id(), ClusterBackupPolicy.resolve(cluster.id(), cluster.backup(), defaults));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("inventory cluster '" + cluster.id() + "', backup: " + e.getMessage(), e);
            }
        }
    }

    /** The policy of an inventory cluster; empty for an id the inventory does not have. */
    public Optional<ClusterBackupPolicy> of(String clusterId) {
        return Optional.ofNullable(policies.get(clusterId));
    }

    public List<ClusterBackupPolicy> all() {
        return List.copyOf(policies.values());
    }
}
