package dev.cpr.backup.domain.policy;

import dev.cpr.backup.domain.retention.RetentionPolicy;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.contracts.inventory.BackupPolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * What backup-service does for one cluster, after precedence: the cluster's {@code backup:} section of the
 * inventory first, then the service's {@code cpr.backup.*} configuration (per-cluster keys, then global
 * defaults). A trigger's own compression beats both.
 *
 * @param schedule         Quartz cron, if the cluster is backed up on a schedule
 * @param retention        which verified backups to keep; empty: keep all
 * @param rpo              the oldest the newest verified backup may be, if the cluster has an RPO
 * @param compression      how its snapshots are stored
 * @param v2Data           export the etcd v2 keyspace beside each snapshot
 * @param incidentSnapshot take a safety snapshot when an incident opens with quorum intact
 */
public record ClusterBackupPolicy(
        String clusterId,
        Optional<String> schedule,
        Optional<RetentionPolicy> retention,
        Optional<Duration> rpo,
        Compression compression,
        boolean v2Data,
        boolean incidentSnapshot) {

    /** The service's own settings, used where the inventory says nothing. */
    public record Defaults(
            Optional<String> schedule,
            Optional<RetentionPolicy> retention,
            Optional<Duration> rpo,
            Compression compression,
            boolean incidentSnapshots) {
    }

    /**
     * @param inventory the cluster's {@code backup:} section (null when it has none)
     * @throws IllegalArgumentException naming the field when the inventory's retention or compression is not valid
     */
    public static ClusterBackupPolicy resolve(String clusterId, BackupPolicy inventory, Defaults defaults) {
        BackupPolicy p = inventory != null ? inventory : new BackupPolicy(null, null, null, null, null, null);
        Optional<String> schedule = p.schedule() != null && !p.schedule().isBlank()
                ? Optional.of(p.schedule().trim()) : defaults.schedule();
        Optional<RetentionPolicy> retention = p.retention() != null && p.retention().policy() != null
                ? retention(clusterId, p.retention()) : defaults.retention();
        Optional<Duration> rpo = p.rpo() != null ? Optional.of(p.rpoDuration()) : defaults.rpo();
        Compression compression = p.compression() != null ? Compression.fromWire(p.compression()) : defaults.compression();
        return new ClusterBackupPolicy(clusterId, schedule, retention, rpo, compression, p.hasV2Data(),
                defaults.incidentSnapshots() && p.takesIncidentSnapshots());
    }

    /** {@code count} (with {@code keep}, default 7), {@code exponential}, or {@code none}. */
    public static Optional<RetentionPolicy> retention(String where, BackupPolicy.Retention retention) {
        return switch (retention.policy()) {
            case "none" -> Optional.empty();
            case "exponential" -> Optional.of(RetentionPolicy.exponential());
            case "count" -> Optional.of(RetentionPolicy.count(retention.keep() != null ? retention.keep() : 7));
            default -> throw new IllegalArgumentException(where + ": retention policy must be count, exponential or none, not '"
                    + retention.policy() + "'");
        };
    }
}
