package dev.cpr.backup.domain.changelog;

import java.time.Instant;

/**
 * An older chain proven by replay: the cluster's segments from the verified snapshot {@code fromBackupId} up to the
 * next one, {@code nextBackupId}, replayed into a scratch etcd, gave exactly that next snapshot's keyspace.
 */
public record ProvenChain(String clusterId, String fromBackupId, String nextBackupId, Instant provenAt) {
}
