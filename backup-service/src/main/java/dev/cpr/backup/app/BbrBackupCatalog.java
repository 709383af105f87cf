package dev.cpr.backup.app;

import dev.cpr.backup.domain.bbr.BbrCatalog;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.bosh.bbr.BbrVerification;
import dev.cpr.contracts.backup.BackupUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link BbrCatalog} of backup-service: BBR backups are rows of the same catalog table as snapshots, with
 * {@code kind} {@code bbr-deployment} or {@code bbr-director}, {@code location} the absolute artifact directory and
 * {@code verification} the checksum verifier's summary (or why it failed, and the fallback snapshot's id). Every
 * change is written with its event (the catalog's outbox), which then leaves on {@code cpr.backups} like a snapshot
 * row's. A verified deployment backup also counts as the cluster's newest verified backup (RPO guard, last-verified
 * gauge); a director backup does not: it holds no etcd data.
 */
@ApplicationScoped
public class BbrBackupCatalog implements BbrCatalog {

    /** bbr artifacts are directories of tars: the column is NOT NULL and they are stored as bbr wrote them. */
    static final String NO_COMPRESSION = "none";

    private final BackupCatalog catalog;
    private final BackupMetrics metrics;
    private final Drills drills;

    public BbrBackupCatalog(BackupCatalog catalog, BackupMetrics metrics, Drills drills) {
        this.catalog = catalog;
        this.metrics = metrics;
        this.drills = drills;
    }

    /**
     * Records a new in-progress BBR backup (its event with it).
     *
     * @param slot the cron slot of a scheduled backup, else null
     * @return empty when another replica already took this slot
     */
    public Optional<BackupUpdate> start(String clusterId, BackupKind kind, String trigger, Instant slot) {
        if (!kind.isBbr()) {
            throw new IllegalArgumentException(kind.wire() + " is not a bbr kind");
        }
        Optional<BackupUpdate> started = catalog.start(clusterId, kind, trigger, NO_COMPRESSION, slot, null);
        return started;
    }

    @Override
    public String started(String clusterId, String kind, String trigger) {
        return start(clusterId, BackupKind.fromWire(kind), trigger, null).orElseThrow().backupId();
    }

    @Override
    public void verified(String backupId, String artifactDir, BbrVerification verification) {
        BackupUpdate verified = catalog.bbrChecked(UUID.fromString(backupId), true, artifactDir, verification.detail(),
                verification.bytes());
        if (BackupKind.fromWire(verified.kind()).countsForRpo()) {
            metrics.verified(verified);
            drills.bbrVerified(verified);
        }
    }

    @Override
    public void corrupt(String backupId, String artifactDir, BbrVerification verification) {
        catalog.bbrChecked(UUID.fromString(backupId), false, artifactDir, verification.detail(),
                verification.bytes());
    }

    @Override
    public void failed(String backupId, String reason) {
        catalog.failed(UUID.fromString(backupId), null, reason);
    }
}
