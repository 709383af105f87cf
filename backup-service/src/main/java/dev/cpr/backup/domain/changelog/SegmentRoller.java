package dev.cpr.backup.domain.changelog;

import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.SegmentCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Gathers one cluster's changes into the open segment and closes it after {@code maxAge} (counted from its first
 * change) or at {@code maxChanges} changes, whichever comes first. Changes arrive a whole revision at a time (a
 * watch response never splits a transaction), and a segment closes only between revisions, so no revision is ever
 * in two segments. Not thread-safe: one recorder thread owns it.
 */
public final class SegmentRoller {

    private final String clusterId;
    private final int maxChanges;
    private final Duration maxAge;
    private final List<Change> open = new ArrayList<>();
    private Instant openedAt;
    private long lastRevision;

    /** @param after the last revision already recorded (or the snapshot's): the next change must be after it */
    public SegmentRoller(String clusterId, int maxChanges, Duration maxAge, long after) {
        this.clusterId = Objects.requireNonNull(clusterId);
        if (maxChanges < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("a segment closes after a positive number of changes and a positive "
                    + "age, not " + maxChanges + " and " + maxAge);
        }
        this.maxChanges = maxChanges;
        this.maxAge = maxAge;
        this.lastRevision = after;
    }

    /**
     * Adds the changes of whole revisions; returns the segment closed by them, if they filled it.
     *
     * @throws IllegalArgumentException when a change goes back in revision or leaves one out: the watch lost order,
     *                                  and the recorder must start again from what is durable
     */
    public Optional<SegmentCodec.Encoded> append(List<Change> changes, Instant now) {
        for (Change change : changes) {
            long expected = open.isEmpty() ? lastRevision + 1 : lastRevision;
            if (change.revision() != expected && change.revision() != lastRevision + 1) {
                throw new IllegalArgumentException("cluster " + clusterId + ": change at revision " + change.revision()
                        + " after revision " + lastRevision + " (expected " + (lastRevision + 1) + ")");
            }
            if (open.isEmpty()) {
                openedAt = change.seenAt();
            }
            open.add(change);
            lastRevision = change.revision();
        }
        return open.size() >= maxChanges ? Optional.of(close(now)) : Optional.empty();
    }

    /** Closes the open segment if it is {@code maxAge} old. */
    public Optional<SegmentCodec.Encoded> tick(Instant now) {
        if (open.isEmpty() || Duration.between(openedAt, now).compareTo(maxAge) < 0) {
            return Optional.empty();
        }
        return Optional.of(close(now));
    }

    /** Changes in the open segment (not yet durable). */
    public int pending() {
        return open.size();
    }

    /** The last revision appended (or the starting one). */
    public long lastRevision() {
        return lastRevision;
    }

    private SegmentCodec.Encoded close(Instant now) {
        SegmentCodec.Encoded encoded = SegmentCodec.encode(clusterId, List.copyOf(open), openedAt, now);
        open.clear();
        openedAt = null;
        return encoded;
    }
}
