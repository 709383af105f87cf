package dev.cpr.backup.app;

import dev.cpr.backup.adapters.etcd.SnapshotVerifier;
import dev.cpr.backup.adapters.kafka.BackupEvents;
import dev.cpr.backup.adapters.persistence.Catalog;
import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.retention.RetainedBackup;
import dev.cpr.backup.domain.retention.RetentionPolicy;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.backup.domain.snapshot.SnapshotFailedException;
import dev.cpr.backup.domain.snapshot.SnapshotTaker;
import dev.cpr.backup.domain.snapshot.TakenSnapshot;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The life of a backup: start (catalog row, event) → snapshot on a job thread → completed or failed →
 * restore drill → verified or corrupt → retention. Every state change is written to the catalog first
 * and then published on {@code cpr.backups}.
 */
@ApplicationScoped
public class BackupCoordinator {

    public static final String MANUAL = "manual";
    public static final String SCHEDULED = "scheduled";
    public static final String INCIDENT = "incident";
    public static final String RPO = "rpo";

    private static final Logger LOG = Logger.getLogger(BackupCoordinator.class);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Inventory inventory;
    private final Catalog catalog;
    private final BackupEvents events;
    private final SnapshotTaker taker;
    private final SnapshotVerifier verifier;
    private final ArtifactStore store;
    private final BackupMetrics metrics;
    private final BackupConfig config;
    private final Clock clock;
    private final ExecutorService jobs;

    public BackupCoordinator(Inventory inventory, Catalog catalog, BackupEvents events, SnapshotTaker taker,
            SnapshotVerifier verifier, ArtifactStore store, BackupMetrics metrics, BackupConfig config, Clock clock) {
        this.inventory = inventory;
        this.catalog = catalog;
        this.events = events;
        this.taker = taker;
        this.verifier = verifier;
        this.store = store;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
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
        return start(cluster(clusterId), compression(null), RPO, null, null).orElseThrow();
    }

    /** A manual backup: recorded in-progress now, taken in the background. */
    public BackupUpdate trigger(String clusterId, String compression) {
        ClusterSpec cluster = cluster(clusterId);
        Compression how = compression(compression);
        return start(cluster, how, MANUAL, null, null).orElseThrow();
    }

    /**
     * A scheduled backup for one cron slot. Empty when another replica already took this slot (the catalog's
     * unique key on cluster + slot decides).
     */
    public Optional<BackupUpdate> triggerScheduled(String clusterId, Instant slot) {
        Optional<BackupUpdate> started = start(cluster(clusterId), compression(null), SCHEDULED, slot, null);
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
        Optional<BackupUpdate> started = start(cluster(clusterId), compression(null), INCIDENT, null, incidentId);
        if (started.isEmpty()) {
            LOG.infof("cluster %s incident %s: the safety snapshot was already started", clusterId, incidentId);
        }
        return started;
    }

    private Optional<BackupUpdate> start(ClusterSpec cluster, Compression compression, String trigger, Instant slot,
            String incidentId) {
        Optional<BackupUpdate> started = catalog.start(cluster.id(), trigger, compression.wire(), slot, incidentId);
        started.ifPresent(backup -> {
            events.publish(backup);
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
            taken = taker.take(cluster, fileName, compression, member -> events.publish(catalog.memberChosen(id, member)));
        } catch (SnapshotFailedException e) {
            LOG.errorf("%s: failed: %s", label, e.getMessage());
            metrics.snapshot(cluster.id(), "failed", Duration.between(begin, clock.instant()));
            events.publish(catalog.failed(id, e.member(), e.getMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: failed unexpectedly", label);
            events.publish(catalog.failed(id, null, "unexpected: " + e));
            return;
        }
        metrics.snapshot(cluster.id(), "completed", taken.duration());
        metrics.size(cluster.id(), taken.sizeBytes());
        BackupUpdate completed = catalog.completed(id, taken);
        events.publish(completed);
        LOG.infof("%s: completed from %s: %d bytes at revision %d (%d keys) in %d ms, sha256 %s", label, taken.member(),
                taken.sizeBytes(), taken.before().revision(), taken.before().keyCount(), taken.duration().toMillis(),
                taken.sha256());
        if (config.drill().onEverySnapshot()) {
            drill(completed);
            applyRetention(cluster.id());
        }
    }

    /** Runs a restore drill now (blocking) and returns the updated entry. */
    public BackupUpdate verify(UUID id) {
        BackupUpdate backup = catalog.find(id).orElseThrow(() -> BackupProblem.notFound("no backup " + id));
        if (!backup.status().hasArtifact()) {
            throw BackupProblem.conflict("backup " + id + " is " + backup.status().wire() + ": there is nothing to drill");
        }
        return drill(backup);
    }

    private BackupUpdate drill(BackupUpdate backup) {
        UUID id = UUID.fromString(backup.backupId());
        String label = "cluster " + backup.clusterId() + " backup " + id;
        DrillExpectation expected = catalog.expectation(id)
                .orElseThrow(() -> BackupProblem.conflict("backup " + id + " has no recorded revision to compare with"));
        DrillResult result = verifier.drill(label, backup.location(), Compression.fromWire(backup.compression()), expected);
        metrics.drill(backup.clusterId(), result);
        BackupUpdate drilled = catalog.drilled(id, result);
        events.publish(drilled);
        switch (result.verdict()) {
            case VERIFIED -> {
                metrics.verified(drilled);
                LOG.infof("%s: verified in %d ms: %s", label, result.duration().toMillis(), result.detail());
            }
            case CORRUPT -> LOG.errorf("%s: CORRUPT: %s", label, result.detail());
            case INCONCLUSIVE -> LOG.warnf("%s: drill inconclusive: %s", label, result.detail());
        }
        return drilled;
    }

    /** Deletes the artifact and the catalog entry. */
    public void delete(UUID id) {
        BackupUpdate backup = catalog.find(id).orElseThrow(() -> BackupProblem.notFound("no backup " + id));
        if (backup.status() == BackupStatus.IN_PROGRESS) {
            throw BackupProblem.conflict("backup " + id + " is still in progress");
        }
        remove(backup, "deleted on request");
    }

    /** Applies the configured retention policy to one cluster's backups. */
    public List<BackupUpdate> applyRetention(String clusterId) {
        Optional<RetentionPolicy> policy = retentionPolicy();
        if (policy.isEmpty()) {
            return List.of();
        }
        List<BackupUpdate> all = catalog.list(clusterId, null);
        List<String> expired = policy.get().expired(all.stream()
                        .map(b -> new RetainedBackup(b.backupId(), b.createdAt(), b.status())).toList(), clock.instant())
                .stream().map(RetainedBackup::id).toList();
        List<BackupUpdate> removed = all.stream().filter(b -> expired.contains(b.backupId())).toList();
        removed.forEach(b -> remove(b, "expired by retention " + policy.get()));
        return removed;
    }

    private void remove(BackupUpdate backup, String why) {
        if (backup.location() != null) {
            try {
                store.delete(backup.location());
            } catch (IOException e) {
                throw new IllegalStateException("cannot delete " + backup.location() + ": " + e.getMessage(), e);
            }
        }
        catalog.delete(UUID.fromString(backup.backupId()));
        LOG.infof("cluster %s backup %s: %s (%s)", backup.clusterId(), backup.backupId(), why, backup.status().wire());
    }

    public ClusterSpec cluster(String clusterId) {
        if (clusterId == null || clusterId.isBlank()) {
            throw BackupProblem.badRequest("'cluster' is required");
        }
        return inventory.cluster(clusterId).orElseThrow(() -> BackupProblem.badRequest("unknown cluster '" + clusterId
                + "'; the inventory has " + inventory.clusters().stream().map(ClusterSpec::id).toList()));
    }

    private Compression compression(String requested) {
        try {
            return Compression.fromWire(requested != null ? requested : config.compression());
        } catch (IllegalArgumentException e) {
            throw BackupProblem.badRequest(e.getMessage());
        }
    }

    private Optional<RetentionPolicy> retentionPolicy() {
        return switch (config.retention().policy()) {
            case "none" -> Optional.empty();
            case "exponential" -> Optional.of(RetentionPolicy.exponential());
            case "count" -> Optional.of(RetentionPolicy.count(config.retention().keep()));
            default -> throw new IllegalStateException("cpr.backup.retention.policy must be count, exponential or none, not '"
                    + config.retention().policy() + "'");
        };
    }
}
