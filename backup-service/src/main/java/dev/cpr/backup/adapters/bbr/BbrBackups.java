package dev.cpr.backup.adapters.bbr;

import dev.cpr.bosh.bbr.BbrRunner;

import dev.cpr.bosh.bbr.BbrArtifactVerifier;
import dev.cpr.backup.app.BackupCoordinator;

import dev.cpr.backup.domain.bbr.BbrBackupResult;
import dev.cpr.backup.domain.bbr.BbrBackupService;
import dev.cpr.backup.domain.bbr.BbrCatalog;
import dev.cpr.backup.domain.bbr.EtcdFallback;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * BBR backups inside backup-service: {@link BbrBackupService} with the real {@link BbrRunner}
 * ({@code cpr.backup.bbr.*}) and, as its fallback when a master is down, an ordinary etcd snapshot through
 * {@link BackupCoordinator} (cataloged, drilled and published like any other). Blocking: call it on a job thread.
 *
 * <p>It needs a {@link BbrCatalog} bean (the catalog with kind {@code bbr-deployment} / {@code bbr-director} and
 * the artifact directory as location); until one exists, {@link #available()} is false and a backup is refused
 * with a message saying so. Unremovable, so {@link BbrConfig} is registered (and {@code cpr.backup.bbr.*} keys are
 * accepted) while nothing injects this yet.
 */
@Unremovable
@ApplicationScoped
public class BbrBackups {

    private static final Logger LOG = Logger.getLogger(BbrBackups.class);

    private final Inventory inventory;
    private final Instance<BbrCatalog> catalogs;
    private final BbrConfig config;
    private final BackupCoordinator coordinator;
    private final Clock clock;

    public BbrBackups(Inventory inventory, Instance<BbrCatalog> catalogs, BbrConfig config,
            BackupCoordinator coordinator, Clock clock) {
        this.inventory = inventory;
        this.catalogs = catalogs;
        this.config = config;
        this.coordinator = coordinator;
        this.clock = clock;
    }

    /** A catalog for BBR backups is wired. */
    public boolean available() {
        return catalogs.isResolvable();
    }

    public BbrBackupResult backupDeployment(String clusterId, String trigger) {
        BbrBackupResult result = service().backupDeployment(cluster(clusterId), trigger);
        log(result);
        return result;
    }

    public BbrBackupResult backupDirector(String clusterId, String trigger) {
        BbrBackupResult result = service().backupDirector(cluster(clusterId), trigger);
        log(result);
        return result;
    }

    private BbrBackupService service() {
        if (!available()) {
            throw new IllegalStateException("BBR backups are not wired: no BbrCatalog bean (see the bbr package's "
                    + "javadoc)");
        }
        return new BbrBackupService(new BbrRunner(config.binary(), Map.of(), clock), catalogs.get(),
                new BbrArtifactVerifier(), this::fallback, Path.of(config.artifactPath()),
                new BbrBackupService.Timeouts(config.checkTimeout(), config.backupTimeout(), config.cleanupTimeout()));
    }

    /** The ordinary snapshot path: the first member that answers (a healthy one) streams its snapshot. */
    private EtcdFallback.Taken fallback(ClusterSpec cluster, String why) {
        LOG.warnf("cluster %s: %s; taking an etcd snapshot from a healthy member instead", cluster.id(), why);
        BackupUpdate started = coordinator.trigger(cluster.id(), null);
        return new EtcdFallback.Taken(started.backupId(), null,
                "etcd v3 snapshot backup " + started.backupId() + " started (cataloged and drilled as usual)");
    }

    private ClusterSpec cluster(String clusterId) {
        return inventory.cluster(clusterId).orElseThrow(() -> new IllegalArgumentException("unknown cluster '"
                + clusterId + "'"));
    }

    private static void log(BbrBackupResult result) {
        switch (result.outcome()) {
            case VERIFIED -> LOG.infof("cluster %s backup %s: %s", result.clusterId(), result.backupId(),
                    result.message());
            case FELL_BACK -> LOG.warnf("cluster %s backup %s: %s", result.clusterId(), result.backupId(),
                    result.message());
            default -> LOG.errorf("cluster %s backup %s: %s: %s", result.clusterId(), result.backupId(),
                    result.outcome(), result.message());
        }
    }
}
