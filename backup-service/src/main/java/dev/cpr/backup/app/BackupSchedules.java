package dev.cpr.backup.app;

import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.policy.ClusterBackupPolicy;
import dev.cpr.contracts.backup.BackupStatus;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import dev.cpr.backup.config.BbrConfig;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import org.jboss.logging.Logger;

/**
 * At start-up: registers one cron job per cluster with a schedule (inventory {@code backup.schedule} first, else
 * {@code cpr.backup.schedules."<cluster>"}; an etcd snapshot, or for a {@code kind: bosh} cluster a bbr deployment
 * backup), one per bosh cluster with a {@code bosh.director} on {@code cpr.backup.bbr.director-schedule} (bbr director
 * backups, when set), seeds the last-verified gauge from the catalog, checks RPOs every
 * {@code cpr.backup.rpo-check-interval}, and runs {@link Housekeeping} 10 s after start and every 5 minutes.
 */
@ApplicationScoped
public class BackupSchedules {

    private static final Logger LOG = Logger.getLogger(BackupSchedules.class);

    void onStart(@Observes StartupEvent start, BackupConfig config, BackupPolicies policies, Scheduler scheduler,
            BackupCoordinator coordinator, BackupTargets targets, BackupCatalog catalog, BackupMetrics metrics, Housekeeping housekeeping, RpoGuard rpo,
            BbrBackups bbr, BbrConfig bbrConfig, Inventory inventory) {
        for (ClusterBackupPolicy policy : policies.all()) {
            policy.schedule().ifPresent(cron -> {
                String clusterId = policy.clusterId();
                BackupKind kind = BackupKind.routineFor(targets.cluster(clusterId));
                scheduler.newJob("backup-" + clusterId)
                        .setCron(cron)
                        .setTask(execution -> {
                            Instant slot = execution.getScheduledFireTime().truncatedTo(ChronoUnit.SECONDS);
                            if (kind == BackupKind.BBR_DEPLOYMENT) {
                                bbr.start(clusterId, kind, BackupCoordinator.SCHEDULED, slot);
                            } else {
                                coordinator.triggerScheduled(clusterId, slot);
                            }
                        })
                        .schedule();
                LOG.infof("cluster %s: scheduled %s backups on cron '%s'%s", clusterId, kind.wire(), cron,
                        policy.rpo().map(r -> ", RPO " + r).orElse(""));
            });
        }
        bbrConfig.directorSchedule().filter(cron -> !cron.isBlank()).ifPresent(cron -> {
            for (ClusterSpec cluster : inventory.clusters()) {
                if (BackupKind.BBR_DIRECTOR.refusal(cluster).isPresent()) {
                    continue;
                }
                String clusterId = cluster.id();
                scheduler.newJob("bbr-director-" + clusterId)
                        .setCron(cron)
                        .setTask(execution -> bbr.start(clusterId, BackupKind.BBR_DIRECTOR, BackupCoordinator.SCHEDULED,
                                execution.getScheduledFireTime().truncatedTo(ChronoUnit.SECONDS)))
                        .schedule();
                LOG.infof("cluster %s: scheduled bbr-director backups on cron '%s'", clusterId, cron);
            }
        });
        catalog.list(null, BackupStatus.VERIFIED).stream().filter(b -> BackupKind.fromWire(b.kind()).countsForRpo())
                .forEach(metrics::verified);
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
