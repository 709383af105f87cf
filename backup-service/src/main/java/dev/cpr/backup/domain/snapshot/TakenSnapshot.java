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
 * @param duration      from the start of the stream to the file in place (the first probe not included)
 * @param phases        where that time went
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
        Duration duration,
        Phases phases) {

    /**
     * The parts of {@link #duration}: the stream (the client's connection, etcd's bytes, hashing and writing them, the
     * trailing-hash check), the second probe, and making the file durable (fsync, rename).
     */
    public record Phases(Duration stream, Duration secondProbe, Duration commit) {

        public static final Phases UNKNOWN = new Phases(Duration.ZERO, Duration.ZERO, Duration.ZERO);

        /** As a log line's tail: what {@code PackagedServiceBenchmark} reads. */
        public String describe() {
            return "phases: stream " + stream.toMillis() + " ms, second probe " + secondProbe.toMillis()
                    + " ms, fsync and rename " + commit.toMillis() + " ms";
        }
    }

    /** True when no write happened while streaming, so the snapshot's revision and key count are known exactly. */
    public boolean exact() {
        return after != null && before.revision() == after.revision();
    }
}
