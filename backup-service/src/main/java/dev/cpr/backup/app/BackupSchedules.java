package dev.cpr.backup.app;

import dev.cpr.backup.adapters.persistence.Catalog;
import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.policy.ClusterBackupPolicy;
import dev.cpr.contracts.backup.BackupStatus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * At start-up: registers one cron job per cluster with a schedule (inventory {@code backup.schedule} first, else
 * {@code cpr.backup.schedules."<cluster>"}), seeds the last-verified gauge from the catalog, checks RPOs every
 * {@code cpr.backup.rpo-check-interval}, and runs {@link Housekeeping} 10 s after start and every 5 minutes.
 */
@ApplicationScoped
public class BackupSchedules {

    private static final Logger LOG = Logger.getLogger(BackupSchedules.class);

    void onStart(@Observes StartupEvent start, BackupConfig config, BackupPolicies policies, Scheduler scheduler,
            BackupCoordinator coordinator, Catalog catalog, BackupMetrics metrics, Housekeeping housekeeping, RpoGuard rpo) {
        for (ClusterBackupPolicy policy : policies.all()) {
            policy.schedule().ifPresent(cron -> {
                String clusterId = policy.clusterId();
                scheduler.newJob("backup-" + clusterId)
                        .setCron(cron)
                        .setTask(execution -> coordinator.triggerScheduled(clusterId,
                                execution.getScheduledFireTime().truncatedTo(ChronoUnit.SECONDS)))
                        .schedule();
                LOG.infof("cluster %s: scheduled backups on cron '%s'%s", clusterId, cron,
                        policy.rpo().map(r -> ", RPO " + r).orElse(""));
            });
        }
        catalog.list(null, BackupStatus.VERIFIED).forEach(metrics::verified);
        if (rpo.hasWork()) {
            scheduler.newJob("backup-rpo")
                    .setInterval(config.rpoCheckInterval().toSeconds() + "s")
                    .setDelayed("2s")
                    .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                    .setTask(execution -> rpo.checkAll())
                    .schedule();
        }
        scheduler.newJob("backup-housekeeping")
                .setInterval("5m")
                .setDelayed("10s")
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> housekeeping.run())
                .schedule();
    }
}
