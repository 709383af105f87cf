package dev.cpr.backup.app;

import dev.cpr.backup.config.BbrConfig;
import dev.cpr.backup.domain.bbr.BbrBackupResult;
import dev.cpr.backup.domain.bbr.BbrBackupService;
import dev.cpr.backup.domain.bbr.EtcdFallback;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.bosh.bbr.BbrArtifactVerifier;
import dev.cpr.bosh.bbr.BbrRunner;
import dev.cpr.bosh.bbr.BbrTarget;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.inventory.ClusterSpec;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * BBR backups of {@code kind: bosh} clusters inside backup-service: the catalog row is claimed at once (in progress,
 * published; empty when another replica took the scheduled slot), then {@link BbrBackupService} runs on a bbr job
 * thread with the real {@link BbrRunner} ({@code cpr.backup.bbr.*}) and {@link BbrBackupCatalog}. Its fallback when a
 * master is down is an ordinary etcd snapshot through {@link BackupCoordinator} with the same trigger (cataloged,
 * drilled and published like any other); the bbr row's reason names that snapshot's backup id.
 *
 * <p>bbr jobs have their own threads: a deployment backup may take hours and must not hold the snapshot jobs'
 * threads (its own fallback snapshot runs there).
 */
@ApplicationScoped
public class BbrBackups {

    private static final Logger LOG = Logger.getLogger(BbrBackups.class);

    private final BackupCoordinator coordinator;
    private final BackupTargets targets;
    private final BackupRemoval removal;
    private final BbrBackupCatalog catalog;
    private final BbrConfig config;
    private final BackupMetrics metrics;
    private final Clock clock;
    private final ExecutorService jobs;
    private final List<BiConsumer<String, String>> outputListeners = new CopyOnWriteArrayList<>();

    public BbrBackups(BackupCoordinator coordinator, BackupTargets targets, BackupRemoval removal, BbrBackupCatalog catalog, BbrConfig config, BackupMetrics metrics,
            Clock clock) {
        this.coordinator = coordinator;
        this.targets = targets;
        this.removal = removal;
        this.catalog = catalog;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.jobs = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "cpr-bbr-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void shutdown() {
        jobs.shutdownNow();
    }

    /**
     * Told every line bbr prints, with the backup id (progress; tests use it to act at a known moment of a run).
     *
     * @return closing it stops the telling
     */
    public AutoCloseable onOutput(BiConsumer<String, String> listener) {
        outputListeners.add(listener);
        return () -> outputListeners.remove(listener);
    }

    /** A manual BBR backup: 400 (naming {@code kind}) when the cluster cannot have this kind. */
    public BackupUpdate trigger(String clusterId, BackupKind kind) {
        return start(clusterId, kind, BackupCoordinator.MANUAL, null).orElseThrow();
    }

    /**
     * Claims the catalog row (in progress, published) and runs the backup on a bbr job thread.
     *
     * @param slot the cron slot of a scheduled backup, else null
     * @return the in-progress row; empty when another replica already took this slot
     */
    public Optional<BackupUpdate> start(String clusterId, BackupKind kind, String trigger, Instant slot) {
        ClusterSpec cluster = targets.cluster(clusterId);
        kind.refusal(cluster).ifPresent(why -> {
            throw BackupRequestRefused.badParameter("kind", why);
        });
        BbrTarget target = kind == BackupKind.BBR_DIRECTOR ? BbrTarget.director(cluster) : BbrTarget.deployment(cluster);
        Optional<BackupUpdate> started = catalog.start(clusterId, kind, trigger, slot);
        if (started.isEmpty()) {
            LOG.infof("cluster %s: the scheduled %s backup of %s was already taken by another replica", clusterId,
                    kind.wire(), slot);
            return started;
        }
        String id = started.get().backupId();
        LOG.infof("cluster %s backup %s: %s %s backup started", clusterId, id, trigger, kind.wire());
        jobs.execute(() -> run(id, cluster, target, trigger));
        return started;
    }

    private void run(String id, ClusterSpec cluster, BbrTarget target, String trigger) {
        Instant begin = clock.instant();
        BbrBackupResult result;
        try {
            result = service(trigger).run(id, cluster, target, line -> outputListeners.forEach(l -> l.accept(id, line)));
        } catch (RuntimeException e) {
            // the domain service tells the catalog every outcome it reaches; this is for what it could not reach
            LOG.errorf(e, "cluster %s backup %s: the bbr job failed unexpectedly", cluster.id(), id);
            metrics.bbr(cluster.id(), target.kind(), "failed", Duration.between(begin, clock.instant()));
            try {
                catalog.failed(id, "unexpected: " + e);
            } catch (RuntimeException again) {
                LOG.errorf(again, "cluster %s backup %s: cannot record the failure", cluster.id(), id);
            }
            return;
        }
        metrics.bbr(cluster.id(), target.kind(), result.outcome().name().toLowerCase().replace('_', '-'),
                Duration.between(begin, clock.instant()));
        switch (result.outcome()) {
            case VERIFIED -> LOG.infof("cluster %s backup %s: %s", cluster.id(), id, result.message());
            case FELL_BACK -> LOG.warnf("cluster %s backup %s: %s", cluster.id(), id, result.message());
            default -> LOG.errorf("cluster %s backup %s: %s: %s", cluster.id(), id, result.outcome(), result.message());
        }
        if (result.outcome() == BbrBackupResult.Outcome.VERIFIED || result.outcome() == BbrBackupResult.Outcome.CORRUPT) {
            try {
                removal.applyRetention(cluster.id());
            } catch (RuntimeException e) {
                LOG.errorf(e, "cluster %s: retention after backup %s failed", cluster.id(), id);
            }
        }
    }

    private BbrBackupService service(String trigger) {
        return new BbrBackupService(new BbrRunner(config.binary(), config.env(), clock), catalog,
                new BbrArtifactVerifier(), (cluster, why) -> fallback(cluster, why, trigger),
                Path.of(config.artifactPath()),
                new BbrBackupService.Timeouts(config.checkTimeout(), config.backupTimeout(), config.cleanupTimeout()));
    }

    /** The ordinary snapshot path: the first member that answers (a healthy one) streams its snapshot. */
    private EtcdFallback.Taken fallback(ClusterSpec cluster, String why, String trigger) {
        LOG.warnf("cluster %s: %s; taking an etcd snapshot from a healthy member instead", cluster.id(), why);
        BackupUpdate started = coordinator.triggerFallback(cluster.id(), trigger);
        return new EtcdFallback.Taken("backup " + started.backupId(), null, "etcd-v3-snapshot backup "
                + started.backupId() + " started (cataloged, drilled and published as usual)");
    }

    /** The longest a bbr backup can stay in progress while its process is alive: its three timeouts. */
    public Duration longestRun() {
        return config.checkTimeout().plus(config.backupTimeout()).plus(config.cleanupTimeout());
    }
}
