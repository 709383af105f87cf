package dev.cpr.restore.adapters.backup;

import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog.CatalogUnavailableException;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * backup-service's REST API as restore-service's catalogs call it ({@code cpr.restore.backup-service-url}, bearer
 * {@code cpr.restore.service-token}): one place for the base URL, the service token, the two clients (catalog calls
 * bounded by {@code catalog-timeout}, downloads by {@code restore.fetch-timeout}) and what a failed call means.
 */
@ApplicationScoped
public class BackupServiceClient {

    private static final Logger LOG = Logger.getLogger(BackupServiceClient.class);

    private final Optional<String> baseUrl;
    private final String authorization;
    private final RestoreConfig config;
    private volatile BackupServiceApi api;
    private volatile BackupServiceApi downloads;
    private volatile ChangeLogApi changeLog;
    private volatile ChangeLogApi changeLogDownloads;

    public BackupServiceClient(RestoreConfig config) {
        this.config = config;
        this.baseUrl = config.backupServiceUrl().filter(s -> !s.isBlank());
        this.authorization = config.serviceToken().filter(s -> !s.isBlank()).map(t -> "Bearer " + t).orElse(null);
        if (baseUrl.isEmpty()) {
            LOG.warn("cpr.restore.backup-service-url (CPR_RESTORE_BACKUP_SERVICE_URL) is not set: "
                    + "a quorum or bbr restore cannot be proposed");
        } else if (authorization == null) {
            LOG.warnf("cpr.restore.service-token (CPR_RESTORE_SERVICE_TOKEN) is not set: backup-service at %s will "
                    + "refuse restore-service's calls with 401", baseUrl.get());
        }
    }

    /** The {@code Authorization} header value, or null without a token. */
    String authorization() {
        return authorization;
    }

    /**
     * Runs one call.
     *
     * @throws NotFound                    when backup-service answers 404
     * @throws CatalogUnavailableException when it is not configured, unreachable, or answers another error
     */
    <T> T call(String what, Supplier<T> request) {
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

    /** Catalog calls. */
    BackupServiceApi api() {
        if (api == null) {
            api = build(config.catalogTimeout().toMillis());
        }
        return api;
    }

    /** Downloads (a longer read timeout). */
    BackupServiceApi downloads() {
        if (downloads == null) {
            downloads = build(config.restore().fetchTimeout().toMillis());
        }
        return downloads;
    }

    /** Change log listings and lookups. */
    ChangeLogApi changeLog() {
        if (changeLog == null) {
            changeLog = build(ChangeLogApi.class, config.catalogTimeout().toMillis());
        }
        return changeLog;
    }

    /** Change log segment downloads (a longer read timeout). */
    ChangeLogApi changeLogDownloads() {
        if (changeLogDownloads == null) {
            changeLogDownloads = build(ChangeLogApi.class, config.restore().fetchTimeout().toMillis());
        }
        return changeLogDownloads;
    }

    private BackupServiceApi build(long readTimeoutMillis) {
        return build(BackupServiceApi.class, readTimeoutMillis);
    }

    private <T> T build(Class<T> api, long readTimeoutMillis) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(baseUrl.orElseThrow()))
                .connectTimeout(config.catalogTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeoutMillis, TimeUnit.MILLISECONDS)
                .build(api);
    }

    /** backup-service does not know the id. */
    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }
}
