package dev.cpr.restore.domain.bbr;

import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import java.util.Optional;

/**
 * backup-service's catalog of bbr artifacts, as a BBR restore needs it. Only VERIFIED entries of a bbr kind with
 * a location count. Blocking calls; run them on a worker thread.
 */
public interface BbrArtifactCatalog {

    /**
     * The newest verified artifact of this kind of the cluster.
     *
     * @param kind {@code bbr-deployment} or {@code bbr-director}
     * @throws SnapshotCatalog.CatalogUnavailableException when backup-service cannot be asked
     */
    Optional<BbrArtifactRef> newestVerified(String clusterId, String kind);

    /**
     * A verified bbr artifact by backup id; empty when unknown, not verified (any more), or not a bbr artifact.
     *
     * @throws SnapshotCatalog.CatalogUnavailableException when backup-service cannot be asked
     */
    Optional<BbrArtifactRef> verified(String id);
}
