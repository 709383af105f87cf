package dev.cpr.backup.app;

import dev.cpr.backup.config.BbrConfig;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.backup.domain.retention.RetainedBackup;
import dev.cpr.backup.domain.retention.RetentionPolicy;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** Deletes backups, artifact and catalog entry together: on request, and as the retention policy expires them. */
@ApplicationScoped
public class BackupRemoval {

    private static final Logger LOG = Logger.getLogger(BackupRemoval.class);

    private final BackupCatalog catalog;
    private final ArtifactStore store;
    private final BackupTargets targets;
    private final ChangeLogRetention changeLog;
    private final Clock clock;
    /** Where bbr artifact directories live: only directories under it are ever deleted with their row. */
    private final Path bbrRoot;

    public BackupRemoval(BackupCatalog catalog, ArtifactStore store, BackupTargets targets,
            ChangeLogRetention changeLog, BbrConfig bbrConfig, Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.targets = targets;
        this.changeLog = changeLog;
        this.clock = clock;
        this.bbrRoot = Path.of(bbrConfig.artifactPath()).toAbsolutePath().normalize();
    }

    /** Deletes the artifact and the catalog entry. */
    public void delete(UUID id) {
        BackupUpdate backup = catalog.find(id).orElseThrow(() -> BackupRequestRefused.notFound("no backup " + id));
        if (backup.status() == BackupStatus.IN_PROGRESS) {
            throw BackupRequestRefused.conflict("backup " + id + " is still in progress");
        }
        remove(backup, "deleted on request");
    }

    /**
     * Applies the configured retention policy to one cluster's backups, each kind on its own: keeping seven backups
     * keeps seven snapshots AND seven deployment artifacts, and the newest verified of each kind is never deleted.
     * When etcd snapshots went, the change-log segments none of the retained ones can be extended by go too.
     */
    public List<BackupUpdate> applyRetention(String clusterId) {
        Optional<RetentionPolicy> policy = targets.policy(clusterId).retention();
        if (policy.isEmpty()) {
            return List.of();
        }
        List<BackupUpdate> removed = new ArrayList<>();
        for (BackupKind kind : BackupKind.values()) {
            List<BackupUpdate> all = catalog.list(clusterId, null, null, kind);
            List<String> expired = policy.get().expired(all.stream()
                            .map(b -> new RetainedBackup(b.backupId(), b.createdAt(), b.status())).toList(), clock.instant())
                    .stream().map(RetainedBackup::id).toList();
            all.stream().filter(b -> expired.contains(b.backupId())).forEach(b -> {
                remove(b, "expired by retention " + policy.get());
                removed.add(b);
            });
        }
        if (removed.stream().anyMatch(b -> BackupKind.ETCD_V3_SNAPSHOT.wire().equals(b.kind()))) {
            try {
                changeLog.apply(clusterId);
            } catch (RuntimeException e) {
                // the segments stay until the next housekeeping pass tries again; the snapshots' retention is done
                LOG.errorf(e, "cluster %s: change-log segments after snapshot retention could not be deleted",
                        clusterId);
            }
        }
        return removed;
    }

    private void remove(BackupUpdate backup, String why) {
        if (BackupKind.isBbr(backup.kind())) {
            if (backup.location() != null) {
                deleteBbrArtifact(backup);
            }
            catalog.delete(UUID.fromString(backup.backupId()));
            LOG.infof("cluster %s backup %s: %s (%s %s)", backup.clusterId(), backup.backupId(), why, backup.kind(),
                    backup.status().wire());
            return;
        }
        catalog.v2(UUID.fromString(backup.backupId())).ifPresent(v2 -> ArtifactCleanup.deleteQuietly(store, v2.location()));
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

    /**
     * Deletes a bbr row's artifact directory, but only one under {@code cpr.backup.bbr.artifact-path}: a location
     * anywhere else (an edited row, a changed setting) is left alone and logged, never deleted recursively.
     */
    private void deleteBbrArtifact(BackupUpdate backup) {
        Path dir = Path.of(backup.location()).toAbsolutePath().normalize();
        if (!dir.startsWith(bbrRoot) || dir.equals(bbrRoot)) {
            LOG.errorf("cluster %s backup %s: its artifact %s is not under the bbr artifact path %s: not deleted",
                    backup.clusterId(), backup.backupId(), dir, bbrRoot);
            return;
        }
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot delete the bbr artifact " + dir + ": " + e.getMessage(), e);
        }
    }
}
