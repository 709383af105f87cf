package dev.cpr.backup.app;

import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.backup.domain.snapshot.SnapshotFailedException;
import dev.cpr.backup.domain.snapshot.SnapshotTaker;
import dev.cpr.backup.domain.snapshot.TakenSnapshot;
import dev.cpr.backup.domain.v2.V2Export;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.etcd.EtcdVersion;
import dev.cpr.contracts.inventory.ClusterSpec;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The life of an etcd snapshot backup: start (catalog row, event) → snapshot on a job thread → completed or failed,
 * then (when drills run on every snapshot) the {@link Drills restore drill} and {@link BackupRemoval retention}.
 * Every state change is written to the catalog with its event, which then leaves on {@code cpr.backups}.
 */
@ApplicationScoped
public class BackupCoordinator {

    public static final String MANUAL = "manual";
    public static final String SCHEDULED = "scheduled";
    public static final String INCIDENT = "incident";
    public static final String RPO = "rpo";
    /** A snapshot asked for because the change log fell behind a compaction (its chain must start again). */
    public static final String CHANGELOG = "changelog-compacted";

    private static final Logger LOG = Logger.getLogger(BackupCoordinator.class);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final BackupTargets targets;
    private final BackupCatalog catalog;
    private final SnapshotTaker taker;
    private final ArtifactStore store;
    private final BackupMetrics metrics;
    private final BackupConfig config;
    private final Clock clock;
    private final V2Exporter v2Exporter;
    private final EtcdVersions versions;
    private final Drills drills;
    private final BackupRemoval removal;
    private final ExecutorService jobs;

    public BackupCoordinator(BackupTargets targets, BackupCatalog catalog, SnapshotTaker taker,
            ArtifactStore store, BackupMetrics metrics, BackupConfig config, Clock clock, V2Exporter v2Exporter,
            EtcdVersions versions, Drills drills, BackupRemoval removal) {
        this.targets = targets;
        this.catalog = catalog;
        this.taker = taker;
        this.store = store;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
        this.v2Exporter = v2Exporter;
        this.versions = versions;
        this.drills = drills;
        this.removal = removal;
        AtomicInteger n = new AtomicInteger();
        this.jobs = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "cpr-backup-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void shutdown() {
        jobs.shutdownNow();
    }

    /** A backup because the cluster's newest verified backup is older than its RPO. */
    public BackupUpdate triggerForRpo(String clusterId) {
        return start(targets.cluster(clusterId), targets.compression(clusterId, null), RPO, null, null).orElseThrow();
    }

    /** A full snapshot to start the change log again after its watch fell behind a compaction. */
    public BackupUpdate triggerForChangeLog(String clusterId) {
        return start(targets.cluster(clusterId), targets.compression(clusterId, null), CHANGELOG, null, null)
                .orElseThrow();
    }

    /**
     * The etcd snapshot a BBR deployment backup falls back to when a master is down (seed 001): same trigger as the
     * bbr backup, no slot (the bbr row holds it); cataloged, drilled and published as any other snapshot.
     */
    public BackupUpdate triggerFallback(String clusterId, String trigger) {
        return start(targets.cluster(clusterId), targets.compression(clusterId, null), trigger, null, null).orElseThrow();
    }

    /** A manual backup: recorded in-progress now, taken in the background. */
    public BackupUpdate trigger(String clusterId, String compression) {
        ClusterSpec cluster = targets.cluster(clusterId);
        Compression how = targets.compression(clusterId, compression);
        return start(cluster, how, MANUAL, null, null).orElseThrow();
    }

    /**
     * A scheduled backup for one cron slot. Empty when another replica already took this slot (the catalog's
     * unique key on cluster + slot decides).
     */
    public Optional<BackupUpdate> triggerScheduled(String clusterId, Instant slot) {
        Optional<BackupUpdate> started = start(targets.cluster(clusterId), targets.compression(clusterId, null), SCHEDULED,
                slot, null);
        if (started.isEmpty()) {
            LOG.infof("cluster %s: the scheduled backup of %s was already taken by another replica", clusterId, slot);
        }
        return started;
    }

    /**
     * The safety snapshot of an incident (taken while quorum still holds). Empty when this incident already has one
     * (a redelivered event, or another replica read it first).
     */
    public Optional<BackupUpdate> triggerForIncident(String clusterId, String incidentId) {
        Optional<BackupUpdate> started = start(targets.cluster(clusterId), targets.compression(clusterId, null), INCIDENT,
                null, incidentId);
        if (started.isEmpty()) {
            LOG.infof("cluster %s incident %s: the safety snapshot was already started", clusterId, incidentId);
        }
        return started;
    }

    private Optional<BackupUpdate> start(ClusterSpec cluster, Compression compression, String trigger, Instant slot,
            String incidentId) {
        Optional<BackupUpdate> started = catalog.start(cluster.id(), trigger, compression.wire(), slot, incidentId);
        started.ifPresent(backup -> {
            LOG.infof("cluster %s backup %s: %s snapshot started", cluster.id(), backup.backupId(), trigger);
            jobs.execute(() -> {
                try {
                    run(cluster, backup, compression);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "cluster %s backup %s: the backup job failed", cluster.id(), backup.backupId());
                }
            });
        });
        return started;
    }

    private void run(ClusterSpec cluster, BackupUpdate started, Compression compression) {
        UUID id = UUID.fromString(started.backupId());
        String label = "cluster " + cluster.id() + " backup " + id;
        Instant begin = clock.instant();
        TakenSnapshot taken;
        try {
            String fileName = cluster.id() + "-" + FILE_TIME.format(started.createdAt()) + "-" + id.toString().substring(0, 8);
            taken = taker.take(cluster, fileName, compression, member -> catalog.memberChosen(id, member));
        } catch (SnapshotFailedException e) {
            LOG.errorf("%s: failed: %s", label, e.getMessage());
            metrics.snapshot(cluster.id(), "failed", Duration.between(begin, clock.instant()));
            catalog.failed(id, e.member(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: failed unexpectedly", label);
            catalog.failed(id, null, "unexpected: " + e);
            return;
        }
        V2Export v2 = null;
        if (targets.policy(cluster.id()).v2Data() && hasV2Store(cluster, label)) {
            try {
                v2 = v2Exporter.export(cluster, cluster.member(taken.member()).orElseThrow(), store,
                        locationName(taken.location()) + ".v2.json");
                LOG.infof("%s: v2 keyspace exported from %s: %d keys, %d bytes, sha256 %s", label, taken.member(),
                        v2.keyCount(), v2.sizeBytes(), v2.sha256());
            } catch (SnapshotFailedException e) {
                LOG.errorf("%s: failed: %s", label, e.getMessage());
                ArtifactCleanup.deleteQuietly(store, taken.location());
                metrics.snapshot(cluster.id(), "failed", Duration.between(begin, clock.instant()));
                catalog.failed(id, e.member(), e.getMessage());
                return;
            }
        }
        metrics.snapshot(cluster.id(), "completed", taken.duration());
        metrics.size(cluster.id(), taken.sizeBytes());
        BackupUpdate completed = catalog.completed(id, taken, v2);
        LOG.infof("%s: completed from %s: %d bytes at revision %d (%d keys) in %d ms, sha256 %s; %s", label,
                taken.member(), taken.sizeBytes(), taken.before().revision(), taken.before().keyCount(),
                taken.duration().toMillis(), taken.sha256(), taken.phases().describe());
        if (config.drill().onEverySnapshot()) {
            drills.drill(completed);
            removal.applyRetention(cluster.id());
        }
    }

    /** False (and said once per backup) when the cluster runs an etcd without the v2 store (3.6): nothing to export. */
    private boolean hasV2Store(ClusterSpec cluster, String label) {
        Optional<EtcdVersion> version = versions.read(cluster);
        if (version.isPresent() && !EtcdTools.hasV2Store(version.get())) {
            LOG.warnf("%s: v2 export skipped: %s (backup.v2-data is set for this cluster)", label,
                    EtcdTools.noV2Note(version.get()));
            return false;
        }
        return true;
    }

    /** {@code <cluster>/<name>.db[.gz]} -> {@code <name>} */
    private static String locationName(String location) {
        String file = location.substring(location.lastIndexOf('/') + 1);
        int dot = file.indexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }
}
