package dev.cpr.restore.domain.snapshot;

import java.time.Instant;

/**
 * A verified snapshot in backup-service's catalog, as a restore plan records it when it is proposed.
 *
 * @param compression {@code none} or {@code gzip}: how the downloaded artifact is stored
 * @param sha256      hex sha256 of the artifact as stored (and downloaded)
 * @param revision    the etcd revision the snapshot holds
 * @param keyCount    live keys at that revision
 */
public record SnapshotRef(String id, String clusterId, long revision, long keyCount, Instant createdAt,
        String sha256, String compression, Long sizeBytes) {

    public boolean gzipped() {
        return "gzip".equalsIgnoreCase(compression);
    }

    /** One line for logs and step output. */
    public String describe() {
        return "snapshot " + id + " (revision " + revision + ", " + keyCount + " keys, taken " + createdAt
                + ", sha256 " + (sha256 == null ? "?" : sha256.substring(0, Math.min(12, sha256.length()))) + "...)";
    }
}
