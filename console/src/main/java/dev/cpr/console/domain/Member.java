package dev.cpr.console.domain;

import java.time.Instant;

/**
 * One etcd member as health-monitor last saw it ({@code healthy} is null before the first poll).
 *
 * @param dbSize              its database file's size in bytes; null when unknown
 * @param dbSizeInUse         the part of it holding live data; null when unknown
 * @param certificateNotAfter when its TLS certificate ends; null for a plain-HTTP member or before it was read
 * @param certificateExpiring health-monitor says the end is within its CERTIFICATE_EXPIRING window
 */
public record Member(String name, String clientUrl, Boolean healthy, String reason, boolean leader, Long raftIndex,
        Long revision, Long dbSize, Long dbSizeInUse, Instant certificateNotAfter, Boolean certificateExpiring) {

    /** e.g. {@code db 12.3 MiB of 2 GiB (0.6 %)}, against the cluster's quota. */
    public String database(Long quotaBytes) {
        return DatabaseSpace.describe(dbSize, dbSizeInUse, quotaBytes);
    }

    /** e.g. {@code cert expires in 364 d}; null without a known certificate. */
    public String certificate(Instant now) {
        return CertificateExpiry.describe(certificateNotAfter, now);
    }

    public boolean certificateWarning() {
        return Boolean.TRUE.equals(certificateExpiring);
    }
}
