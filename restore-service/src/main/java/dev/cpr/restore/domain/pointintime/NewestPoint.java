package dev.cpr.restore.domain.pointintime;

import java.util.Comparator;
import java.util.List;

/**
 * The newest point a quorum restore can reach from its snapshot: the last revision of the change log's unbroken run
 * after the snapshot. A quorum restore the planner proposes restores to it by default, so the restore loses only
 * what the change log had not made durable, not everything after the snapshot.
 *
 * <p>The change log is a bonus, never a condition: when it is not configured, cannot be read, holds nothing after the
 * snapshot or starts with a gap, the restore is of the snapshot only ({@link SnapshotOnly}, with the reason for the
 * plan's record), exactly as without a change log. Asking it costs one listing; the segments themselves are fetched
 * by the plan's {@code fetch-change-log} step after approval.
 */
public final class NewestPoint {

    private NewestPoint() {
    }

    /** Where the restore ends. */
    public sealed interface Point permits Target, SnapshotOnly {

        /** What the plan's record and its approval say about the point restored and what is not. */
        String describe();
    }

    /**
     * Replay the change log to {@code revision}.
     *
     * @param missing empty, or the revisions the change log could not give past the target (a gap), named
     */
    public record Target(long snapshotRevision, long revision, String missing) implements Point {

        @Override
        public String describe() {
            return "then replay the change log to its newest durable revision " + revision + " ("
                    + (revision - snapshotRevision) + " revisions after the snapshot); not restored: writes after "
                    + "revision " + revision + (missing.isEmpty() ? " the change log had not made durable" : ", as "
                    + missing);
        }
    }

    /** Restore the snapshot only, for this reason. */
    public record SnapshotOnly(long snapshotRevision, String reason) implements Point {

        @Override
        public String describe() {
            return "the snapshot only (" + reason + "); not restored: every write after revision " + snapshotRevision;
        }
    }

    /**
     * @param changeLog backup-service's change log; null when none is configured
     */
    public static Point of(ChangeLogSource changeLog, String clusterId, long snapshotRevision) {
        if (changeLog == null) {
            return new SnapshotOnly(snapshotRevision, "no backup-service change log is configured");
        }
        List<ReplayPlan.SegmentRef> listed;
        try {
            listed = changeLog.segments(clusterId, snapshotRevision, Long.MAX_VALUE);
        } catch (RuntimeException e) {
            // an unreachable change log must not hold back a restore that the snapshot alone can do
            return new SnapshotOnly(snapshotRevision, "the change log could not be read: " + e.getMessage());
        }
        return of(snapshotRevision, listed);
    }

    /** The end of the unbroken run of {@code listed} from {@code snapshotRevision + 1}. */
    static Point of(long snapshotRevision, List<ReplayPlan.SegmentRef> listed) {
        List<ReplayPlan.SegmentRef> after = listed.stream().filter(s -> s.lastRevision() > snapshotRevision)
                .sorted(Comparator.comparingLong(ReplayPlan.SegmentRef::firstRevision)).toList();
        long next = snapshotRevision + 1;
        String missing = "";
        for (ReplayPlan.SegmentRef segment : after) {
            boolean first = next == snapshotRevision + 1;
            if (segment.firstRevision() > next) {
                missing = "revisions " + next + ".." + (segment.firstRevision() - 1) + " are in no segment of the "
                        + "change log, so nothing from them on is replayed";
                break;
            }
            if (segment.firstRevision() < next && !first) {
                missing = segment + " overlaps the one before it, so nothing from it on is replayed";
                break;
            }
            next = segment.lastRevision() + 1;
        }
        long end = next - 1;
        if (end == snapshotRevision) {
            return new SnapshotOnly(snapshotRevision, missing.isEmpty()
                    ? "the change log holds no change after the snapshot's revision " + snapshotRevision
                    : "the change log cannot continue the snapshot: " + missing);
        }
        try {
            ReplayPlan.of(snapshotRevision, end, listed); // the check fetch-change-log makes again after approval
        } catch (ReplayPlan.Refused e) {
            return new SnapshotOnly(snapshotRevision, "the change log cannot continue the snapshot: " + e.getMessage());
        }
        return new Target(snapshotRevision, end, missing);
    }
}
