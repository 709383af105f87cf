package dev.cpr.restore.domain.rehearsal;

import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a rehearsal's scratch cluster will take of restore-service's host, estimated from the snapshot it restores
 * before anything starts, and whether the room there holds it. A rehearsal that outgrows its room does harm: in a pod,
 * an {@code emptyDir} past its {@code sizeLimit} gets the pod evicted (a limit {@code statfs} does not show, hence the
 * configured budget), and etcd members past the memory limit get restore-service itself OOM-killed, in the middle of
 * whatever real recovery it runs.
 * <p>
 * Disk: the downloaded snapshot, then per member the restored database (the snapshot's size with a quarter more for
 * its pages: {@link #REPLAY_GROWTH}) and its write-ahead log ({@link #WAL_PER_MEMBER}), and the change log replayed
 * into it twice over: once into the database (etcd keeps every revision until a compaction) and once into the
 * write-ahead log (a replay shorter than etcd's snapshot count purges none of it). Memory: per member twice its
 * database, replayed changes included (etcd maps it, and holds its index and the replayed writes in its heap), and a
 * running etcd's own share ({@link #ETCD_PER_MEMBER}). Measured on etcd 3.4 with a 31.5 MiB snapshot of 40,000 pod-like JSON values: the restored
 * member took 93 MiB of disk before its start and 155 MiB after (its write-ahead log 123 MiB), and 82 MiB of memory, 98
 * MiB once every key was read; this estimate gives 167 MiB and 143 MiB.
 *
 * @param diskBytes   under the scratch directory
 * @param memoryBytes of the host (or the container's limit) while the scratch members run
 * @param basis       how it was estimated, for the refusal's words
 */
public record ScratchNeed(long diskBytes, long memoryBytes, String basis) {

    static final long MIB = 1024 * 1024;
    /** etcd's write-ahead log: the 64 MiB file in use and the next one, which etcd preallocates at its start. */
    static final long WAL_PER_MEMBER = 128 * MIB;
    /** A running etcd's memory beside its database (24 MB idle, measured). */
    static final long ETCD_PER_MEMBER = 64 * MIB;
    /** The replayed change log grows each member's database; a quarter more is what the estimate allows. */
    static final double REPLAY_GROWTH = 1.25;
    /**
     * A gzipped snapshot's database is larger than what the catalog records: the measured snapshot above packed 9 times
     * smaller, so 10 is assumed.
     */
    static final int GZIP_EXPANSION = 10;

    /**
     * @throws IllegalArgumentException when the catalog does not record the snapshot's size: without it nothing can
     *                                  be estimated, and a rehearsal that might not fit is not started
     */
    public static ScratchNeed of(SnapshotRef snapshot, int members) {
        return of(snapshot, members, 0);
    }

    /**
     * @param changeLogBytes the stored bytes of the change log the rehearsal replays after the snapshot
     * @throws IllegalArgumentException as {@link #of(SnapshotRef, int)}
     */
    public static ScratchNeed of(SnapshotRef snapshot, int members, long changeLogBytes) {
        if (snapshot.sizeBytes() == null || snapshot.sizeBytes() <= 0) {
            throw new IllegalArgumentException("the catalog records no size for " + snapshot.id() + ", so the "
                    + "scratch cluster's room cannot be estimated");
        }
        long stored = snapshot.sizeBytes();
        long database = snapshot.gzipped() ? stored * GZIP_EXPANSION : stored;
        long grown = (long) (database * REPLAY_GROWTH) + changeLogBytes;
        long disk = stored + members * (grown + WAL_PER_MEMBER + changeLogBytes);
        long memory = members * (2 * grown + ETCD_PER_MEMBER);
        String basis = "snapshot " + snapshot.id() + " of " + mib(stored) + (snapshot.gzipped() ? " gzipped (about "
                + mib(database) + " unpacked)" : "") + (changeLogBytes > 0 ? ", " + mib(changeLogBytes)
                + " of change log" : "") + ", " + members + " members";
        return new ScratchNeed(disk, memory, basis);
    }

    /**
     * Why the scratch cluster would not fit, naming each limit it would pass; empty when it fits.
     *
     * @param budgetBytes     the configured scratch budget ({@code cpr.restore.rehearsal.scratch-budget})
     * @param diskUsableBytes what the scratch directory's file system has free
     * @param memoryAvailable what the host (or the container, under its limit) has available; empty when unknown
     */
    public Optional<String> wontFit(long budgetBytes, long diskUsableBytes, OptionalLong memoryAvailable) {
        List<String> passed = new ArrayList<>();
        if (diskBytes > budgetBytes) {
            passed.add("the scratch budget of " + mib(budgetBytes));
        }
        if (diskBytes > diskUsableBytes) {
            passed.add("the " + mib(diskUsableBytes) + " free under the scratch directory");
        }
        String disk = passed.isEmpty() ? null : "it needs about " + mib(diskBytes) + " of disk, more than "
                + String.join(" and ", passed);
        String memory = memoryAvailable.isPresent() && memoryBytes > memoryAvailable.getAsLong()
                ? "its members need about " + mib(memoryBytes) + " of memory, more than the "
                        + mib(memoryAvailable.getAsLong()) + " available"
                : null;
        if (disk == null && memory == null) {
            return Optional.empty();
        }
        return Optional.of((disk == null ? memory : memory == null ? disk : disk + "; " + memory) + " (" + basis
                + ")");
    }

    static String mib(long bytes) {
        return (bytes + MIB / 2) / MIB + " MiB";
    }
}
