package dev.cpr.restore.adapters.backup;

import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link SnapshotCatalog} over backup-service's REST API ({@code cpr.restore.backup-service-url}, bearer
 * {@code cpr.restore.service-token}). Only VERIFIED entries with a sha256 count as snapshots to restore from, and only
 * rows of kind {@code etcd-v3-snapshot} (or of no kind): backup-service catalogs bbr artifacts beside them, and a bbr
 * row is never an etcd snapshot (those are {@link BackupServiceBbrCatalog}'s).
 */
@ApplicationScoped
public class BackupServiceCatalog implements SnapshotCatalog {

    /** backup-service's kind of an etcd v3 snapshot; rows of other kinds (bbr artifacts) are never snapshots. */
    static final String ETCD_V3_SNAPSHOT = "etcd-v3-snapshot";

    private final BackupServiceClient client;
    private final String authorization;

    public BackupServiceCatalog(BackupServiceClient client) {
        this.client = client;
        this.authorization = client.authorization();
    }

    @Override
    public Optional<IncidentSnapshot> incidentSnapshot(String clusterId, String incidentId) {
        List<BackupUpdate> entries = call("list the backups of incident " + incidentId,
                () -> api().forIncident(clusterId, incidentId, authorization));
        return entries.stream()
                .filter(b -> incidentId.equals(b.incidentId()) && b.status() != BackupStatus.IN_PROGRESS)
                .filter(BackupServiceCatalog::isSnapshot)
                .findFirst()
                .map(b -> new IncidentSnapshot(b.backupId(), b.status().wire(),
                        b.status() == BackupStatus.COMPLETED || b.status() == BackupStatus.VERIFIED,
                        b.revision(), b.keyCount(), b.member()));
    }

    @Override
    public Optional<SnapshotRef> newestVerified(String clusterId) {
        List<BackupUpdate> entries = call("list verified backups of " + clusterId,
                () -> api().list(clusterId, BackupStatus.VERIFIED.wire(), authorization));
        return entries.stream()
                .filter(b -> b.status() == BackupStatus.VERIFIED && clusterId.equals(b.clusterId()) && b.sha256() != null)
                .filter(BackupServiceCatalog::isSnapshot)
                .max(Comparator.comparing(BackupUpdate::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(BackupServiceCatalog::ref);
    }

    @Override
    public Optional<SnapshotRef> newestVerifiedAtOrBefore(String clusterId, long revision) {
        List<BackupUpdate> entries = call("list verified backups of " + clusterId,
                () -> api().list(clusterId, BackupStatus.VERIFIED.wire(), authorization));
        return entries.stream()
                .filter(b -> b.status() == BackupStatus.VERIFIED && clusterId.equals(b.clusterId()) && b.sha256() != null)
                .filter(BackupServiceCatalog::isSnapshot)
                .filter(b -> b.revision() != null && b.revision() <= revision)
                .max(Comparator.comparing(BackupUpdate::revision)
                        .thenComparing(BackupUpdate::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(BackupServiceCatalog::ref);
    }

    @Override
    public Optional<SnapshotRef> verified(String snapshotId) {
        try {
            BackupUpdate entry = call("get backup " + snapshotId, () -> api().get(snapshotId, authorization));
            return entry != null && entry.status() == BackupStatus.VERIFIED && entry.sha256() != null && isSnapshot(entry)
                    ? Optional.of(ref(entry)) : Optional.empty();
        } catch (BackupServiceClient.NotFound e) {
            return Optional.empty();
        }
    }

    @Override
    public long download(String snapshotId, Path target) {
        File file = call("download backup " + snapshotId, () -> downloads().download(snapshotId, authorization));
        try {
            Files.move(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return Files.size(target);
        } catch (IOException e) {
            try {
                Files.copy(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(file.toPath());
                return Files.size(target);
            } catch (IOException again) {
                throw new IllegalStateException("cannot store the download of " + snapshotId + " as " + target + ": "
                        + again.getMessage(), again);
            }
        }
    }

    @Override
    public Optional<V2Export> downloadV2(String snapshotId, Path target) {
        org.jboss.resteasy.reactive.RestResponse<File> response;
        try {
            response = call("download the v2 export of " + snapshotId, () -> downloads().v2(snapshotId, authorization));
        } catch (BackupServiceClient.NotFound e) {
            return Optional.empty();
        }
        if (response.getStatus() == 404) {
            return Optional.empty();
        }
        String sha = response.getHeaderString("X-Cpr-Sha256");
        String keys = response.getHeaderString("X-Cpr-V2-Key-Count");
        File file = response.getEntity();
        try {
            Files.move(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot store the v2 export of " + snapshotId + ": " + e.getMessage(), e);
        }
        return Optional.of(new V2Export(sha, keys == null ? 0 : Long.parseLong(keys.trim())));
    }

    static SnapshotRef ref(BackupUpdate b) {
        return new SnapshotRef(b.backupId(), b.clusterId(), b.revision() == null ? 0 : b.revision(),
                b.keyCount() == null ? 0 : b.keyCount(), b.createdAt(), b.sha256(),
                b.compression() == null ? "none" : b.compression(), b.sizeBytes());
    }

    private <T> T call(String what, java.util.function.Supplier<T> request) {
        return client.call(what, request);
    }

    private BackupServiceApi api() {
        return client.api();
    }

    private BackupServiceApi downloads() {
        return client.downloads();
    }

    /** An etcd v3 snapshot row: of that kind, or of no kind (rows from before kinds existed). */
    static boolean isSnapshot(BackupUpdate b) {
        return b.kind() == null || ETCD_V3_SNAPSHOT.equals(b.kind());
    }
}
