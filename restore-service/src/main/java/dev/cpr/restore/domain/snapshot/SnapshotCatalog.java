package dev.cpr.restore.domain.snapshot;

import java.nio.file.Path;
import java.util.Optional;

/**
 * backup-service's catalog, as a restore needs it: the newest verified snapshot of a cluster, one
 * snapshot by id, and its artifact. Blocking calls; run them on a worker thread.
 */
public interface SnapshotCatalog {

    /** @throws CatalogUnavailableException when backup-service cannot be asked */
    Optional<SnapshotRef> newestVerified(String clusterId);

    /**
     * The newest VERIFIED snapshot of the cluster whose revision is at or before {@code revision} (where a
     * point-in-time restore to that revision starts). The default asks {@link #newestVerified} only: a catalog that can
     * list older snapshots overrides it.
     *
     * @throws CatalogUnavailableException when backup-service cannot be asked
     */
    default Optional<SnapshotRef> newestVerifiedAtOrBefore(String clusterId, long revision) {
        return newestVerified(clusterId).filter(ref -> ref.revision() <= revision);
    }

    /** A VERIFIED snapshot by id; empty if unknown or not verified. */
    Optional<SnapshotRef> verified(String snapshotId);

    /**
     * Streams the snapshot's stored artifact into {@code target} (created or replaced).
     *
     * @return bytes written
     */
    long download(String snapshotId, Path target);

    /**
     * Downloads the snapshot's etcd v2 keyspace export (the v2 API's {@code GET /v2/keys/?recursive=true} answer,
     * taken beside the v3 snapshot for clusters with v2 data, seed 002) into {@code target}.
     *
     * @return its catalog sha256 and key count; empty when the snapshot has no v2 export
     */
    default Optional<V2Export> downloadV2(String snapshotId, Path target) {
        return Optional.empty();
    }

    /**
     * The snapshot backup-service took when this incident opened (it takes one at once while quorum
     * holds), once it is complete: empty while none exists yet or it is still being taken.
     *
     * @throws CatalogUnavailableException when backup-service cannot be asked
     */
    default Optional<IncidentSnapshot> incidentSnapshot(String clusterId, String incidentId) {
        return Optional.empty();
    }

    /**
     * @param usable completed or verified; false when it failed or came out corrupt
     */
    record IncidentSnapshot(String backupId, String status, boolean usable, Long revision, Long keyCount,
            String member) {
    }

    /** @param keyCount leaf keys (not directories) in the export */
    record V2Export(String sha256, long keyCount) {
    }

    /** backup-service did not answer, or answered with an error. */
    class CatalogUnavailableException extends RuntimeException {
        public CatalogUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }

        public CatalogUnavailableException(String message) {
            super(message);
        }
    }
}
