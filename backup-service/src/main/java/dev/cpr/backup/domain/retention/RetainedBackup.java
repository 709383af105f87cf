package dev.cpr.backup.domain.retention;

import dev.cpr.contracts.backup.BackupStatus;
import java.time.Instant;

/** What retention needs to know about one cataloged backup of one cluster. */
public record RetainedBackup(String id, Instant createdAt, BackupStatus status) {
}
