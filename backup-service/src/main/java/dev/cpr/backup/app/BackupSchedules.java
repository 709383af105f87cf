package dev.cpr.backup.app;

import dev.cpr.backup.adapters.persistence.Catalog;
import dev.cpr.backup.config.BackupConfig;
import dev.cpr.contracts.backup.BackupStatus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * At start-up: registers one cron job per {@code cpr.backup.schedules."<cluster>"} entry (an unknown cluster
 * fails the start), seeds the last-verified gauge from the catalog, and runs {@link Housekeeping} 10 s after
 * start and every 5 minutes.
 */
@ApplicationScoped
public class BackupSchedules {

    private static final Logger LOG = Logger.getLogger(BackupSchedules.class);

    void onStart(@Observes StartupEvent start, BackupConfig config, Scheduler scheduler, BackupCoordinator coordinator,
            Catalog catalog, BackupMetrics metrics, Housekeeping housekeeping, RpoGuard rpo) {
        config.schedules().forEach((clusterId, cron) -> {
            coordinator.cluster(clusterId);
            scheduler.newJob("backup-" + clusterId)
                    .setCron(cron)
                    .setTask(execution -> coordinator.triggerScheduled(clusterId,
                            execution.getScheduledFireTime().truncatedTo(ChronoUnit.SECONDS)))
                    .schedule();
            LOG.infof("cluster %s: scheduled backups on cron '%s'", clusterId, cron);
        });
        catalog.list(null, BackupStatus.VERIFIED).forEach(metrics::verified);
        if (!config.rpo().isEmpty()) {
            config.rpo().keySet().forEach(coordinator::cluster);
            scheduler.newJob("backup-rpo")
                    .setInterval(config.rpoRetryAfter().toSeconds() + "s")
                    .setDelayed("5s")
                    .setConcurrentExecution(io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
                    .setTask(execution -> rpo.checkAll())
                    .schedule();
        }
        scheduler.newJob("backup-housekeeping")
                .setInterval("5m")
                .setDelayed("10s")
                .setConcurrentExecution(io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> housekeeping.run())
                .schedule();
    }
}
