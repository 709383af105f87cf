package dev.cpr.restore.adapters.backup;

import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.restore.adapters.config.RestoreConfig;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@link SnapshotCatalog} over backup-service's REST API ({@code cpr.restore.backup-service-url}, bearer
 * {@code cpr.restore.service-token}). Only VERIFIED entries with a sha256 count as snapshots to restore from.
 */
@ApplicationScoped
public class BackupServiceCatalog implements SnapshotCatalog {

    private static final Logger LOG = Logger.getLogger(BackupServiceCatalog.class);

    private final Optional<String> baseUrl;
    private final String authorization;
    private final RestoreConfig config;
    private volatile BackupServiceApi api;
    private volatile BackupServiceApi downloads;

    public BackupServiceCatalog(RestoreConfig config) {
        this.config = config;
        this.baseUrl = config.backupServiceUrl().filter(s -> !s.isBlank());
        this.authorization = config.serviceToken().filter(s -> !s.isBlank()).map(t -> "Bearer " + t).orElse(null);
        if (baseUrl.isEmpty()) {
            LOG.warn("cpr.restore.backup-service-url (CPR_RESTORE_BACKUP_SERVICE_URL) is not set: "
                    + "a quorum restore cannot be proposed");
        } else if (authorization == null) {
            LOG.warnf("cpr.restore.service-token (CPR_RESTORE_SERVICE_TOKEN) is not set: backup-service at %s will "
                    + "refuse restore-service's calls with 401", baseUrl.get());
        }
    }

    @Override
    public Optional<IncidentSnapshot> incidentSnapshot(String clusterId, String incidentId) {
        List<BackupUpdate> entries = call("list the backups of incident " + incidentId,
                () -> api().forIncident(clusterId, incidentId, authorization));
        return entries.stream()
                .filter(b -> incidentId.equals(b.incidentId()) && b.status() != BackupStatus.IN_PROGRESS)
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
                .max(Comparator.comparing(BackupUpdate::createdAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(BackupServiceCatalog::ref);
    }

    @Override
    public Optional<SnapshotRef> verified(String snapshotId) {
        try {
            BackupUpdate entry = call("get backup " + snapshotId, () -> api().get(snapshotId, authorization));
            return entry != null && entry.status() == BackupStatus.VERIFIED && entry.sha256() != null
                    ? Optional.of(ref(entry)) : Optional.empty();
        } catch (NotFound e) {
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
        } catch (NotFound e) {
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
        if (baseUrl.isEmpty()) {
            throw new CatalogUnavailableException("cpr.restore.backup-service-url is not configured");
        }
        try {
            return request.get();
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 404) {
                throw new NotFound(what + ": 404");
            }
            throw new CatalogUnavailableException(what + " at " + baseUrl.get() + " answered " + status
                    + (status == 401 || status == 403 ? " (is cpr.restore.service-token a token backup-service accepts?)"
                    : ""), e);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new CatalogUnavailableException(what + " at " + baseUrl.get() + " failed: "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()), e);
        }
    }

    private BackupServiceApi api() {
        if (api == null) {
            api = build(config.catalogTimeout().toMillis());
        }
        return api;
    }

    private BackupServiceApi downloads() {
        if (downloads == null) {
            downloads = build(config.restore().fetchTimeout().toMillis());
        }
        return downloads;
    }

    private BackupServiceApi build(long readTimeoutMillis) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(baseUrl.orElseThrow()))
                .connectTimeout(config.catalogTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeoutMillis, TimeUnit.MILLISECONDS)
                .build(BackupServiceApi.class);
    }

    /** backup-service does not know the id. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }
}
