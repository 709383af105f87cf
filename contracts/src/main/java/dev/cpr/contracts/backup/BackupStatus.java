package dev.cpr.contracts.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * Life of one backup in backup-service's catalog. Only {@link #VERIFIED} backups may be offered for restore.
 * <pre>
 *   IN_PROGRESS ──▶ COMPLETED ──(restore drill)──▶ VERIFIED | CORRUPT
 *        └──────▶ FAILED (nothing usable was kept)
 * </pre>
 */
public enum BackupStatus {
    IN_PROGRESS("in-progress"),
    COMPLETED("completed"),
    VERIFIED("verified"),
    CORRUPT("corrupt"),
    FAILED("failed");

    private final String wire;

    BackupStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** @throws IllegalArgumentException listing the accepted values */
    @JsonCreator
    public static BackupStatus fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown backup status '" + value + "', expected one of "
                        + Arrays.stream(values()).map(BackupStatus::wire).toList()));
    }

    /** A drill can (re)run on it: the artifact exists and is complete. */
    public boolean hasArtifact() {
        return this == COMPLETED || this == VERIFIED || this == CORRUPT;
    }
}
