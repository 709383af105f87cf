package dev.cpr.console.domain;

import java.time.Instant;

/** The verified snapshot a restore plan restores from, as restore-service recorded it when it proposed the plan. */
public record Snapshot(String id, String clusterId, long revision, long keyCount, Instant createdAt, String sha256,
        String compression, Long sizeBytes) {
}
