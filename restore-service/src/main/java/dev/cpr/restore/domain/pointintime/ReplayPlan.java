package dev.cpr.restore.domain.pointintime;

import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.CorruptSegmentException;
import dev.cpr.contracts.changelog.SegmentCodec;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which segments of a cluster's change log bring a restored snapshot to a target revision, decided before anything
 * is stopped. etcd gives each write transaction the next revision, so the changes after a snapshot at {@code s}
 * must run {@code s+1, s+2, ..., target} with none missing and none twice: a listing with a gap or an overlap is
 * refused here, naming the revisions, and the cluster is never touched. The segment holding {@code s} itself may
 * start before it (it was recorded for an older snapshot); its changes up to {@code s} are in the snapshot already
 * and are skipped, as are those after the target.
 *
 * <p>Replaying applies one transaction per original revision ({@link #revisions}), so a cluster restored at
 * {@code s} ends at exactly {@code target}.
 */
public final class ReplayPlan {

    /**
     * A stored segment as backup-service lists it.
     *
     * @param id        its id within the cluster (its first revision)
     * @param sha256    the catalog's sha256 of its stored bytes
     * @param sizeBytes its stored bytes as listed; 0 when not known (a plan's own listing file does not keep it)
     */
    public record SegmentRef(long id, long firstRevision, long lastRevision, int count, String sha256,
            long sizeBytes) {

        /** A segment whose size is not known. */
        public SegmentRef(long id, long firstRevision, long lastRevision, int count, String sha256) {
            this(id, firstRevision, lastRevision, count, sha256, 0);
        }

        @Override
        public String toString() {
            return "segment " + firstRevision + ".." + lastRevision;
        }
    }

    /** The changes of one original revision: replayed as one transaction. */
    public record Revision(long revision, List<Change> changes) {

        public Revision {
            changes = List.copyOf(changes);
        }
    }

    /** The change log cannot bring the snapshot to the target: nothing may be stopped or changed. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private final long snapshotRevision;
    private final long targetRevision;
    private final List<SegmentRef> segments;

    private ReplayPlan(long snapshotRevision, long targetRevision, List<SegmentRef> segments) {
        this.snapshotRevision = snapshotRevision;
        this.targetRevision = targetRevision;
        this.segments = List.copyOf(segments);
    }

    /**
     * @param listed the cluster's segments as listed (any order; those wholly at or before the snapshot, or wholly
     *               after the target, are left out)
     * @throws Refused when the target is before the snapshot, or the segments leave a gap or overlap between the
     *                 snapshot and the target; the message names the revisions
     */
    public static ReplayPlan of(long snapshotRevision, long targetRevision, List<SegmentRef> listed) throws Refused {
        if (targetRevision < snapshotRevision) {
            throw new Refused("target revision " + targetRevision + " is before the snapshot's revision "
                    + snapshotRevision + ": a replay only goes forward from the snapshot");
        }
        List<SegmentRef> needed = listed.stream()
                .filter(s -> s.lastRevision() > snapshotRevision && s.firstRevision() <= targetRevision)
                .sorted(Comparator.comparingLong(SegmentRef::firstRevision).thenComparingLong(SegmentRef::lastRevision))
                .toList();
        long next = snapshotRevision + 1;
        for (SegmentRef segment : needed) {
            boolean first = next == snapshotRevision + 1;
            if (segment.firstRevision() > next) {
                throw new Refused("gap: revisions " + next + ".." + (segment.firstRevision() - 1) + " are in no "
                        + "segment (the change log has " + (next - 1) + ", then " + segment + ")");
            }
            if (segment.firstRevision() < next && !first) {
                throw new Refused("overlap: revisions " + segment.firstRevision() + ".."
                        + Math.min(segment.lastRevision(), next - 1) + " are in two segments (" + segment
                        + " starts inside the one before it)");
            }
            next = segment.lastRevision() + 1;
        }
        if (next <= targetRevision) {
            throw new Refused("gap: revisions " + next + ".." + targetRevision + " are in no segment: the change log "
                    + "after snapshot revision " + snapshotRevision + " ends at " + (next - 1));
        }
        return new ReplayPlan(snapshotRevision, targetRevision, needed);
    }

    public long snapshotRevision() {
        return snapshotRevision;
    }

    public long targetRevision() {
        return targetRevision;
    }

    /** The segments to fetch, in revision order. */
    public List<SegmentRef> segments() {
        return segments;
    }

    /** How many transactions a replay applies: one per revision after the snapshot up to the target. */
    public long revisionCount() {
        return targetRevision - snapshotRevision;
    }

    /** One line for a step's output and the plan's record. */
    public String describe() {
        if (segments.isEmpty()) {
            return "snapshot revision " + snapshotRevision + " is the target: nothing to replay";
        }
        return revisionCount() + " revisions " + (snapshotRevision + 1) + ".." + targetRevision + " from "
                + segments.size() + " segments " + segments.get(0).firstRevision() + ".."
                + segments.get(segments.size() - 1).lastRevision();
    }

    /**
     * The changes to replay, grouped by original revision, each segment's bytes checked (the catalog's sha256 and the
     * segment's own) before any change of it is used.
     *
     * @param bytes the stored bytes of each of {@link #segments()}
     * @throws CorruptSegmentException when a segment's bytes are not what was stored, or hold other revisions than
     *                                 listed
     */
    public List<Revision> revisions(SegmentBytes bytes) throws CorruptSegmentException {
        List<Revision> revisions = new ArrayList<>();
        long expected = snapshotRevision + 1;
        for (SegmentRef ref : segments) {
            SegmentCodec.Decoded decoded = SegmentCodec.decode(Objects.requireNonNull(bytes.of(ref), ref.toString()),
                    ref.sha256());
            if (decoded.segment().firstRevision() != ref.firstRevision()
                    || decoded.segment().lastRevision() != ref.lastRevision()) {
                throw new CorruptSegmentException("the bytes of " + ref + " hold revisions "
                        + decoded.segment().firstRevision() + ".." + decoded.segment().lastRevision());
            }
            for (Change change : decoded.changes()) {
                if (change.revision() <= snapshotRevision || change.revision() > targetRevision) {
                    continue;
                }
                Revision last = revisions.isEmpty() ? null : revisions.get(revisions.size() - 1);
                if (last != null && last.revision() == change.revision()) {
                    List<Change> grown = new ArrayList<>(last.changes());
                    grown.add(change);
                    revisions.set(revisions.size() - 1, new Revision(change.revision(), grown));
                } else if (change.revision() == expected) {
                    revisions.add(new Revision(change.revision(), List.of(change)));
                    expected++;
                } else {
                    throw new CorruptSegmentException(ref + " goes from revision " + (expected - 1) + " to "
                            + change.revision());
                }
            }
        }
        if (expected != targetRevision + 1) {
            throw new CorruptSegmentException("the segments hold revisions up to " + (expected - 1) + ", not "
                    + targetRevision);
        }
        return revisions;
    }

    /**
     * What the replayed keys must hold afterwards: the last change of each key the revisions touch (a put's value, or
     * a delete's absence), in the order they were last changed. Reading them back proves the cluster holds what the
     * source held at the target, key by key, where the revision alone proves only how many transactions ran.
     */
    public static List<Change> lastChangeOfEachKey(List<Revision> revisions) {
        Map<String, Change> last = new LinkedHashMap<>();
        for (Revision revision : revisions) {
            for (Change change : revision.changes()) {
                // ISO-8859-1 maps every byte to one char: a key's bytes, whatever they are, as a map key
                String key = new String(change.key(), StandardCharsets.ISO_8859_1);
                last.remove(key);
                last.put(key, change);
            }
        }
        return List.copyOf(last.values());
    }

    /** Where a segment's stored bytes come from (downloaded files, or memory in a test). */
    @FunctionalInterface
    public interface SegmentBytes {
        byte[] of(SegmentRef segment);
    }
}
