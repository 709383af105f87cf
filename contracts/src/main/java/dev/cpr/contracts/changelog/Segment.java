package dev.cpr.contracts.changelog;

import java.time.Instant;
import java.util.Objects;

/**
 * A closed run of one cluster's changes, stored as one artifact: every change of the revisions
 * {@code firstRevision..lastRevision}, none left out, in revision order.
 *
 * @param count         changes in it (at least the number of revisions: a transaction may change several keys)
 * @param sha256        hex sha256 of the stored bytes, as the catalog records them
 * @param openedAt      when its first change arrived
 * @param closedAt      when it was closed (one second after it opened, or at its N-th change)
 * @param lastChangeAt  when its last change arrived: what the segment covers in time is {@code openedAt..lastChangeAt}
 */
public record Segment(String clusterId, long firstRevision, long lastRevision, int count, String sha256,
        Instant openedAt, Instant closedAt, Instant lastChangeAt) {

    public Segment {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(closedAt, "closedAt");
        Objects.requireNonNull(lastChangeAt, "lastChangeAt");
        if (firstRevision <= 0 || lastRevision < firstRevision) {
            throw new IllegalArgumentException("segment of " + clusterId + ": revisions " + firstRevision + ".."
                    + lastRevision + " are not a range");
        }
        if (count < lastRevision - firstRevision + 1) {
            throw new IllegalArgumentException("segment of " + clusterId + " " + firstRevision + ".." + lastRevision
                    + " cannot hold every revision in " + count + " changes");
        }
    }

    /** The artifact's file name: sortable by revision, zero-padded so that a listing is in chain order. */
    public String fileName() {
        return String.format("changes-%020d-%020d.cprlog", firstRevision, lastRevision);
    }

    @Override
    public String toString() {
        return "segment " + firstRevision + ".." + lastRevision + " of " + clusterId + " (" + count + " changes)";
    }
}
