package dev.cpr.backup.domain.snapshot;

import java.time.Duration;

/**
 * A snapshot that streamed completely, passed etcd's trailing-hash check and is in place.
 *
 * @param before        the member's revision and key count just before the stream started
 * @param after         the same just after it ended (null if the member stopped answering); equal
 *                      revisions mean no write raced the snapshot
 * @param sizeBytes     bytes stored (compressed if compression was asked for)
 * @param snapshotBytes bytes etcd sent
 * @param sha256        hex sha256 of the stored file
 */
public record TakenSnapshot(
        String member,
        String location,
        Compression compression,
        long sizeBytes,
        long snapshotBytes,
        String sha256,
        MemberState before,
        MemberState after,
        Duration duration) {

    /** True when no write happened while streaming, so the snapshot's revision and key count are known exactly. */
    public boolean exact() {
        return after != null && before.revision() == after.revision();
    }
}
