package dev.cpr.contracts.changelog;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One key's change as etcd's watch reported it. Several changes share a revision when one transaction wrote several
 * keys (etcd's revision counts transactions, not keys).
 *
 * @param revision       the revision of the transaction that made the change (the key's mod revision)
 * @param key            the key's bytes (etcd keys are bytes, not text)
 * @param value          the new value; empty for a delete
 * @param leaseId        the lease the key is attached to, 0 for none (a key deleted by a lease's expiry is a
 *                       {@link Type#DELETE} at the revision of the revoke)
 * @param createRevision the revision that created the key; 0 for a delete
 * @param version        how many times the key was written since created; 0 for a delete
 * @param seenAt         when the recorder received it (etcd's events carry no time): the time index's clock
 */
public record Change(long revision, Type type, byte[] key, byte[] value, long leaseId, long createRevision,
        long version, Instant seenAt) {

    public enum Type { PUT, DELETE }

    public Change {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(seenAt, "seenAt");
        value = value == null ? new byte[0] : value;
        if (revision <= 0) {
            throw new IllegalArgumentException("a change's revision must be positive, was " + revision);
        }
    }

    public static Change put(long revision, byte[] key, byte[] value, long leaseId, long createRevision, long version,
            Instant seenAt) {
        return new Change(revision, Type.PUT, key, value, leaseId, createRevision, version, seenAt);
    }

    public static Change delete(long revision, byte[] key, Instant seenAt) {
        return new Change(revision, Type.DELETE, key, new byte[0], 0, 0, 0, seenAt);
    }

    /** The key as text, for logs and tests (etcd keys of Kubernetes are UTF-8 paths). */
    public String keyText() {
        return new String(key, java.nio.charset.StandardCharsets.UTF_8);
    }

    // arrays compare by content: a change read back from a segment equals the one written
    @Override
    public boolean equals(Object o) {
        return o instanceof Change c && revision == c.revision && type == c.type && Arrays.equals(key, c.key)
                && Arrays.equals(value, c.value) && leaseId == c.leaseId && createRevision == c.createRevision
                && version == c.version && seenAt.equals(c.seenAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(revision, type, Arrays.hashCode(key), Arrays.hashCode(value), leaseId, seenAt);
    }

    @Override
    public String toString() {
        return type + " " + keyText() + " @" + revision + (leaseId != 0 ? " lease " + HexFormat.of().toHexDigits(leaseId) : "");
    }
}
