package dev.cpr.backup.app;

import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import dev.cpr.backup.config.BbrConfig;
import dev.cpr.backup.domain.kind.BackupKind;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Cleans up after processes that died mid-work (run at start-up and every few minutes): an in-progress backup with
 * no change for longer than it may take (a snapshot: its stream timeout; a bbr backup: its check, backup and cleanup
 * timeouts together) becomes {@code failed}, partial artifacts that old are deleted,
 * uploaded copies left by an unfinished check ({@code POST /{id}/check}) are deleted, completed backups whose
 * drill never ran are drilled, and change-log segments no retained verified snapshot needs are deleted (after a
 * snapshot deleted on request, or a retention pass whose segment deletion failed).
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final Duration GRACE = Duration.ofMinutes(1);

    private final BackupCatalog catalog;
    private final ArtifactStore store;
    private final CopyChecks copyChecks;
    private final Drills drills;
    private final ChangeLogRetention changeLog;
    private final Inventory inventory;
    private final BackupConfig config;
    private final Clock clock;
    /** A bbr backup may stay in progress this long while its process lives (hours), a snapshot only its stream timeout. */
    private final Duration bbrLongestRun;

    public Housekeeping(BackupCatalog catalog, ArtifactStore store, CopyChecks copyChecks,
            Drills drills, ChangeLogRetention changeLog, Inventory inventory, BackupConfig config, BbrConfig bbr,
            Clock clock) {
        this.bbrLongestRun = bbr.checkTimeout().plus(bbr.backupTimeout()).plus(bbr.cleanupTimeout());
        this.catalog = catalog;
        this.store = store;
        this.copyChecks = copyChecks;
        this.drills = drills;
        this.changeLog = changeLog;
        this.inventory = inventory;
        this.config = config;
        this.clock = clock;
    }

    public void run() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(config.snapshot().streamTimeout()).minus(GRACE);
        abandon(cutoff, null, EnumSet.of(BackupKind.ETCD_V3_SNAPSHOT));
        abandon(now.minus(bbrLongestRun).minus(GRACE), null, EnumSet.of(BackupKind.BBR_DEPLOYMENT, BackupKind.BBR_DIRECTOR));
        store.sweepPartials(cutoff);
        copyChecks.sweepChecks();
        if (config.drill().onEverySnapshot()) {
            Instant drillCutoff = clock.instant().minus(config.drill().startTimeout()).minus(config.drill().restoreTimeout())
                    .minus(GRACE);
            for (BackupUpdate pending : catalog.undrilled(drillCutoff)) {
                LOG.infof("cluster %s backup %s: completed but never drilled; drilling now", pending.clusterId(),
                        pending.backupId());
                drills.verify(UUID.fromString(pending.backupId()));
            }
        }
        for (ClusterSpec cluster : inventory.clusters()) {
            try {
                changeLog.apply(cluster.id());
            } catch (RuntimeException e) {
                LOG.errorf(e, "cluster %s: deleting the change-log segments no snapshot needs failed; tried again on "
                        + "the next pass", cluster.id());
            }
        }
    }

    /** Fails in-progress backups of any kind untouched since {@code cutoff} (one cluster, or all when null). */
    public List<BackupUpdate> abandon(Instant cutoff, String clusterId) {
        return abandon(cutoff, clusterId, EnumSet.allOf(BackupKind.class));
    }

    /** Fails in-progress backups of {@code kinds} untouched since {@code cutoff} (the catalog writes their events). */
    public List<BackupUpdate> abandon(Instant cutoff, String clusterId, Set<BackupKind> kinds) {
        List<BackupUpdate> abandoned = catalog.abandon(cutoff, clusterId, kinds);
        abandoned.forEach(b -> LOG.warnf("cluster %s backup %s: %s", b.clusterId(), b.backupId(), b.verification()));
        return abandoned;
    }
}
