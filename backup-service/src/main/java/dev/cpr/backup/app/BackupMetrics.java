package dev.cpr.backup.app;

import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus figures (at /q/metrics):
 * {@code cpr_backup_last_verified_timestamp_seconds{cluster}} (epoch seconds of the newest verified backup's creation),
 * {@code cpr_backup_snapshot_duration_seconds{cluster,outcome}}, {@code cpr_backup_drill_duration_seconds{cluster,verdict}},
 * {@code cpr_backup_size_bytes{cluster}},
 * {@code cpr_backup_bbr_duration_seconds{cluster,kind,outcome}} (kind {@code bbr-deployment|bbr-director}, outcome
 * {@code verified|corrupt|fell-back|failed}). The last-verified gauge counts verified snapshots and verified
 * {@code bbr-deployment} backups alike. The failure series (snapshot {@code failed}, drill {@code corrupt}, bbr
 * {@code failed|corrupt}) are registered at zero for every cluster at start-up, so the alert rules' {@code increase()}
 * sees the first failure too (a series born at 1 shows no increase).
 */
@ApplicationScoped
@Startup // an application-scoped bean is made on first use: the zero series must exist before the first backup
public class BackupMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastVerified = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> rpoBreached = new ConcurrentHashMap<>();

    public BackupMetrics(MeterRegistry registry, Inventory inventory) {
        this.registry = registry;
        for (ClusterSpec cluster : inventory.clusters()) {
            snapshotTimer(cluster.id(), "failed");
            drillTimer(cluster.id(), "corrupt");
            if (cluster.bosh() != null) {
                for (String kind : List.of("bbr-deployment", "bbr-director")) {
                    bbrTimer(cluster.id(), kind, "failed");
                    bbrTimer(cluster.id(), kind, "corrupt");
                }
            }
        }
    }

    private Timer snapshotTimer(String cluster, String outcome) {
        return Timer.builder("cpr.backup.snapshot.duration").description("time to stream and store one snapshot")
                .tag("cluster", cluster).tag("outcome", outcome).register(registry);
    }

    private Timer bbrTimer(String cluster, String kind, String outcome) {
        return Timer.builder("cpr.backup.bbr.duration").description("time of one bbr backup, pre-backup-check to catalog")
                .tag("cluster", cluster).tag("kind", kind).tag("outcome", outcome).register(registry);
    }

    private Timer drillTimer(String cluster, String verdict) {
        return Timer.builder("cpr.backup.drill.duration").description("time of one restore drill")
                .tag("cluster", cluster).tag("verdict", verdict).register(registry);
    }

    public void snapshot(String cluster, String outcome, Duration duration) {
        snapshotTimer(cluster, outcome).record(duration);
    }

    /** One BBR backup, pre-backup-check to catalog. */
    public void bbr(String cluster, String kind, String outcome, Duration duration) {
        bbrTimer(cluster, kind, outcome).record(duration);
    }

    public void size(String cluster, long bytes) {
        DistributionSummary.builder("cpr.backup.size").baseUnit("bytes").description("stored size of completed snapshots")
                .tag("cluster", cluster).register(registry).record(bytes);
    }

    public void drill(String cluster, DrillResult result) {
        drillTimer(cluster, result.verdict().name().toLowerCase()).record(result.duration());
    }

    /** 1 while the cluster's newest verified backup is older than its RPO (or missing), else 0. */
    public void rpoBreached(String cluster, boolean breached) {
        rpoBreached.computeIfAbsent(cluster, c -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("cpr.backup.rpo.breached", value, AtomicLong::get)
                    .description("1 while the newest verified backup is older than the cluster's RPO")
                    .tag("cluster", c).register(registry);
            return value;
        }).set(breached ? 1 : 0);
    }

    /** Called for every verified backup; the gauge keeps the newest. */
    public void verified(BackupUpdate backup) {
        Instant created = backup.createdAt();
        lastVerified.computeIfAbsent(backup.clusterId(), cluster -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("cpr.backup.last.verified.timestamp", value, AtomicLong::get).baseUnit("seconds")
                    .description("creation time of the newest verified backup, epoch seconds")
                    .tag("cluster", cluster).register(registry);
            return value;
        }).accumulateAndGet(created.getEpochSecond(), Math::max);
    }
}
