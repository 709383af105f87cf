package dev.cpr.backup.domain.changelog;

import dev.cpr.contracts.changelog.Segment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether a snapshot's change log runs without a break from the snapshot's own revision on. etcd gives every write
 * transaction the next revision and a watch of the whole keyspace sees every one of them, so the log of a snapshot
 * at revision {@code r} must start at {@code r + 1} and each segment must start right after the one before it:
 * a segment starting later leaves a gap, one starting earlier repeats revisions (an overlap: two writers, or a
 * revision split across segments).
 */
public final class ChainCheck {

    private ChainCheck() {
    }

    public enum BreakKind { GAP, OVERLAP }

    /**
     * A break in the chain.
     *
     * @param after the last revision the chain covered before it
     * @param from  the first revision missing (gap) or repeated (overlap)
     * @param to    the last revision missing or repeated
     */
    public record Break(BreakKind kind, long after, long from, long to) {

        public String describe() {
            return switch (kind) {
                case GAP -> "gap: revisions " + from + ".." + to + " are missing after " + after;
                case OVERLAP -> "overlap: revisions " + from + ".." + to + " are in two segments";
            };
        }
    }

    /**
     * What the log of one snapshot covers.
     *
     * @param snapshotRevision the snapshot's own revision
     * @param coveredTo        the last revision restorable without a break ({@code snapshotRevision} when none)
     * @param coveredUntil     when the last change of {@code coveredTo} was seen, null when nothing is covered
     * @param segments         how many segments the unbroken part holds
     * @param breaks           every gap and overlap after the snapshot, in revision order; empty for a sound chain
     */
    public record Report(long snapshotRevision, long coveredTo, Instant coveredFrom, Instant coveredUntil, int segments,
            List<Break> breaks) {

        public boolean unbroken() {
            return breaks.isEmpty();
        }
    }

    /** Checks the segments of one cluster (any order; those ending at or before the snapshot are ignored). */
    public static Report check(long snapshotRevision, List<Segment> segments) {
        List<Segment> after = segments.stream().filter(s -> s.lastRevision() > snapshotRevision)
                .sorted(Comparator.comparingLong(Segment::firstRevision).thenComparingLong(Segment::lastRevision))
                .toList();
        List<Break> breaks = new ArrayList<>();
        long next = snapshotRevision + 1;
        long coveredTo = snapshotRevision;
        Instant coveredFrom = null;
        Instant coveredUntil = null;
        int unbrokenSegments = 0;
        boolean first = true;
        for (Segment segment : after) {
            // the first segment may begin before the snapshot: it was written for an older one and runs on past it
            boolean startsBefore = first && segment.firstRevision() <= next;
            if (segment.firstRevision() > next) {
                breaks.add(new Break(BreakKind.GAP, next - 1, next, segment.firstRevision() - 1));
            } else if (segment.firstRevision() < next && !startsBefore) {
                breaks.add(new Break(BreakKind.OVERLAP, next - 1, segment.firstRevision(),
                        Math.min(segment.lastRevision(), next - 1)));
            }
            if (breaks.isEmpty()) {
                coveredTo = segment.lastRevision();
                coveredFrom = coveredFrom == null ? segment.openedAt() : coveredFrom;
                coveredUntil = segment.lastChangeAt();
                unbrokenSegments++;
            }
            next = Math.max(next, segment.lastRevision() + 1);
            first = false;
        }
        return new Report(snapshotRevision, coveredTo, coveredFrom, coveredUntil, unbrokenSegments, List.copyOf(breaks));
    }
}
