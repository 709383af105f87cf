package dev.cpr.backup.domain.bbr;

import dev.cpr.bosh.bbr.BbrTarget;

import dev.cpr.bosh.bbr.BbrVerification;


/**
 * Where BBR backups are recorded: backup-service's catalog, with {@code kind} {@link BbrTarget#DEPLOYMENT} or
 * {@link BbrTarget#DIRECTOR} and {@code location} the artifact directory. Only {@link #verified} entries may be
 * offered for restore; a failed or corrupt one keeps no usable location.
 */
public interface BbrCatalog {

    /** Records a new in-progress BBR backup; returns its id. */
    String started(String clusterId, String kind, String trigger);

    /** Every checksum matched: restorable. */
    void verified(String backupId, String artifactDir, BbrVerification verification);

    /** The artifact exists but failed verification: never restore it. */
    void corrupt(String backupId, String artifactDir, BbrVerification verification);

    /** No usable artifact was kept; {@code reason} says why and what was done instead (a fallback snapshot). */
    void failed(String backupId, String reason);
}
