package dev.cpr.console.domain;

import java.time.Instant;

/** A catalog entry as backup-service's {@code /api/v1/backups} shows it ({@code status} in its wire form, e.g. verified). */
public record Backup(String backupId, String clusterId, String kind, String status, String trigger, String member,
        String location, String compression, Long sizeBytes, String sha256, Long revision, Long keyCount,
        Instant createdAt, Instant updatedAt, Instant verifiedAt, String verification) {

    public boolean verified() {
        return "verified".equalsIgnoreCase(status);
    }

    /** in-progress or completed: the drill has not said yet. */
    public boolean settled() {
        return status != null && !"in-progress".equalsIgnoreCase(status) && !"completed".equalsIgnoreCase(status);
    }
}
