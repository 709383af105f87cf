package dev.cpr.backup.domain.changelog;

import java.time.Instant;
import java.util.List;

/**
 * A part of a cluster's change log a drill found not restorable: a stored segment that cannot be read, whose bytes are
 * not the ones cataloged or do not decode, or revisions no segment holds (a gap) or two hold (an overlap). A replay
 * needs every revision after its snapshot in order, so a point in time at or past {@code fromRevision} is offered only
 * from a snapshot at or past {@code toRevision}: one that does not need these revisions.
 *
 * @param fromRevision the first revision not restorable (the broken segment's first, the gap's first missing one)
 * @param toRevision   the last revision of the broken part (the segment's last, the gap's last missing one)
 * @param reason       what the drill found, with the revisions and the stored location where there is one
 */
public record BrokenChain(String clusterId, long fromRevision, long toRevision, String reason, Instant foundAt) {

    public BrokenChain {
        if (toRevision < fromRevision) {
            throw new IllegalArgumentException("a broken part ends (" + toRevision + ") before it starts ("
                    + fromRevision + ")");
        }
    }

    /** Whether a replay from a snapshot at {@code snapshotRevision} needs a revision of this broken part. */
    public boolean cuts(long snapshotRevision) {
        return snapshotRevision < toRevision;
    }

    /**
     * The first revision a replay from a snapshot at {@code snapshotRevision} cannot reach: the earliest broken part
     * it needs, {@link Long#MAX_VALUE} when none. A result at or before the snapshot's own revision means nothing
     * after the snapshot is restorable.
     */
    public static long firstUnrestorable(long snapshotRevision, List<BrokenChain> broken) {
        return broken.stream().filter(b -> b.cuts(snapshotRevision)).mapToLong(BrokenChain::fromRevision).min()
                .orElse(Long.MAX_VALUE);
    }

    /** The id of the incident this break opens: the same on every replica and every pass, so it opens once. */
    public String incidentId() {
        return "changelog-broken-" + clusterId + "-" + fromRevision;
    }

    public String describe() {
        return "not restorable from revision " + fromRevision + " (to " + toRevision + "): " + reason;
    }
}
