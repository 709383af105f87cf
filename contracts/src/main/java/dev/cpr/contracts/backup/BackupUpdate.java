package dev.cpr.contracts.backup;

import dev.cpr.contracts.events.EventCodec;
import java.time.Instant;

/**
 * Payload of {@code dev.cpr.backup.updated}: the whole catalog entry after one state change.
 *
 * @param kind         what was backed up, e.g. {@code etcd-v3-snapshot}
 * @param trigger      {@code manual}, {@code scheduled}, {@code incident} or {@code rpo}
 * @param scheduledFor the cron slot a scheduled backup belongs to (null otherwise)
 * @param incidentId   the incident a safety snapshot was taken for (null otherwise)
 * @param member       the etcd member the snapshot streamed from (null until one was chosen)
 * @param location     where the artifact is stored (null unless it was kept)
 * @param compression  {@code none} or {@code gzip}
 * @param sha256       hex sha256 of the stored file
 * @param revision     the etcd revision the snapshot holds
 * @param keyCount     live keys at that revision
 * @param verification what the last restore drill found, or why the snapshot failed
 * @param sequence     increases with every change of this backup; readers drop older ones
 */
public record BackupUpdate(
        String backupId,
        String clusterId,
        String kind,
        BackupStatus status,
        String trigger,
        Instant scheduledFor,
        String incidentId,
        String member,
        String location,
        String compression,
        Long sizeBytes,
        String sha256,
        Long revision,
        Long keyCount,
        Instant createdAt,
        Instant updatedAt,
        Instant verifiedAt,
        String verification,
        long sequence) implements EventCodec.Validatable {

    @Override
    public void validate() {
        if (backupId == null || backupId.isBlank()) {
            throw new IllegalArgumentException("backupId is missing");
        }
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("clusterId is missing");
        }
        if (status == null) {
            throw new IllegalArgumentException("status is missing");
        }
    }
}
