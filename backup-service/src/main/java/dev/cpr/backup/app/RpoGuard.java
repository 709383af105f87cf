package dev.cpr.backup.app;

import dev.cpr.backup.adapters.persistence.Catalog;
import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.rpo.RpoWatch;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Checks every cluster with a configured RPO (every {@code cpr.backup.rpo-retry-after}): a breach sets
 * {@code cpr_backup_rpo_breached{cluster}} to 1, is logged, and starts a backup (trigger {@code rpo}) unless one was
 * attempted within the retry interval. Publishing an incident for it needs a failure kind in the contracts (not there yet).
 */
@ApplicationScoped
public class RpoGuard {

    private static final Logger LOG = Logger.getLogger(RpoGuard.class);

    private final BackupConfig config;
    private final Catalog catalog;
    private final BackupCoordinator coordinator;
    private final BackupMetrics metrics;
    private final Clock clock;
    private final RpoWatch watch;

    public RpoGuard(BackupConfig config, Catalog catalog, BackupCoordinator coordinator, BackupMetrics metrics, Clock clock) {
        this.config = config;
        this.catalog = catalog;
        this.coordinator = coordinator;
        this.metrics = metrics;
        this.clock = clock;
        this.watch = new RpoWatch(config.rpoRetryAfter());
    }

    public void checkAll() {
        config.rpo().forEach(this::check);
    }

    private void check(String clusterId, Duration rpo) {
        List<BackupUpdate> backups = catalog.list(clusterId, null);
        Optional<Instant> newestVerified = backups.stream().filter(b -> b.status() == BackupStatus.VERIFIED)
                .map(BackupUpdate::createdAt).findFirst();
        Optional<Instant> lastAttempt = backups.stream().map(BackupUpdate::createdAt).findFirst();
        RpoWatch.Decision decision = watch.check(rpo, newestVerified, lastAttempt, clock.instant());
        metrics.rpoBreached(clusterId, decision.breached());
        if (decision.breached()) {
            LOG.warnf("cluster %s: RPO breached: %s", clusterId, decision.reason());
        }
        if (decision.attempt()) {
            coordinator.triggerForRpo(clusterId);
        }
    }
}
