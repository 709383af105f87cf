package dev.cpr.backup.domain.changelog;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Which change-log segments of ONE cluster are no longer needed. A segment only serves a restore that starts from a
 * full snapshot before it and replays forward, so once every retained, restorable (verified) snapshot is at or past
 * a segment's last revision, no restore can use it: no point before the oldest snapshot can be brought back anyway.
 *
 * <p>The line is the LOWEST revision of the verified snapshots, not the revision of the one created first: after a
 * restore (etcd 3.4 restores at the snapshot's own revision) a snapshot of the old history may carry a higher
 * revision than a newer one of the current chain, and the current chain's segments after that newer one must stay.
 * The lowest revision is never past the current chain's own oldest snapshot, so this only keeps more, never less.
 * With no verified snapshot nothing is deleted: the segments may be all there is.
 */
public final class SegmentRetention {

    private SegmentRetention() {
    }

    /**
     * The revision at or before which a segment's changes are no longer needed: the lowest revision of the verified
     * snapshots, or empty when there is none (then every segment is kept).
     */
    public static OptionalLong neededAfter(Collection<Long> verifiedSnapshotRevisions) {
        return verifiedSnapshotRevisions.stream().filter(Objects::nonNull).mapToLong(Long::longValue).min();
    }

    /**
     * The segments to delete, in revision order: those whose changes all lie at or before {@code neededAfter}. A
     * segment holding that revision and later ones is kept (a restore from the snapshot needs its later changes).
     */
    public static List<StoredSegment> expired(List<StoredSegment> segments, OptionalLong neededAfter) {
        if (neededAfter.isEmpty()) {
            return List.of();
        }
        return segments.stream().filter(s -> s.segment().lastRevision() <= neededAfter.getAsLong())
                .sorted(Comparator.comparingLong(s -> s.segment().firstRevision())).toList();
    }
}
