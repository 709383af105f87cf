package dev.cpr.backup.app;

import dev.cpr.backup.domain.changelog.BrokenChain;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.CorruptSegmentException;
import dev.cpr.contracts.changelog.Segment;
import dev.cpr.contracts.changelog.SegmentCodec;
import dev.cpr.contracts.inventory.Inventory;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;

/**
 * A cluster's stored change log as a restore reads it: the segments of a revision range, one segment's bytes, and
 * which revision was the newest at a given moment. A segment's id is its first revision: no two segments of a
 * cluster start at the same one (the catalog's key).
 */
@ApplicationScoped
public class ChangeLogChain {

    /**
     * One stored segment in a listing.
     *
     * @param id           the segment's id within its cluster (its first revision), for {@code segments/{id}}
     * @param sha256       hex sha256 of the stored bytes
     * @param openedAt     when its first change was seen
     * @param lastChangeAt when its last change was seen: the segment covers {@code openedAt..lastChangeAt}
     */
    public record SegmentEntry(long id, long firstRevision, long lastRevision, int count, String sha256,
            long sizeBytes, Instant openedAt, Instant lastChangeAt, Instant closedAt) {

        static SegmentEntry of(StoredSegment stored) {
            Segment s = stored.segment();
            return new SegmentEntry(s.firstRevision(), s.firstRevision(), s.lastRevision(), s.count(), s.sha256(),
                    stored.sizeBytes(), s.openedAt(), s.lastChangeAt(), s.closedAt());
        }
    }

    /**
     * The newest revision recorded at or before a moment.
     *
     * @param time      the moment asked about
     * @param revision  the newest revision whose change was seen at or before {@code time}
     * @param changedAt when that revision's change was seen
     * @param segmentId the segment holding it
     */
    public record RevisionAt(String clusterId, Instant time, long revision, Instant changedAt, long segmentId) {
    }

    /** A stored segment's bytes as they are in the store, and the sha256 the catalog recorded for them. */
    public record SegmentBytes(Segment segment, byte[] bytes) {
    }

    private final Inventory inventory;
    private final ChangeLogCatalog catalog;
    private final ArtifactStore store;

    public ChangeLogChain(Inventory inventory, ChangeLogCatalog catalog, ArtifactStore store) {
        this.inventory = inventory;
        this.catalog = catalog;
        this.store = store;
    }

    /**
     * The segments holding any revision after {@code after} up to {@code upTo}, in revision order, ending before the
     * first part a chain drill found not restorable that a replay from {@code after} would need: a restore reading
     * this listing sees the break as a gap and never replays past it.
     *
     * @param after the last revision the caller has (a snapshot's); null for 0
     * @param upTo  the last revision wanted; null for all there are
     */
    public List<SegmentEntry> segments(String clusterId, Long after, Long upTo) {
        known(clusterId);
        long from = after == null ? 0 : after;
        long to = upTo == null ? Long.MAX_VALUE : upTo;
        if (from < 0) {
            throw BackupRequestRefused.badParameter("after", "after must be a revision (0 or more), was " + from);
        }
        if (to <= from) {
            throw BackupRequestRefused.badParameter("upTo", "upTo must be a revision after 'after' (" + from
                    + "), was " + to + ": the range " + from + ".." + to + " holds no revision");
        }
        long cut = BrokenChain.firstUnrestorable(from, catalog.broken(clusterId));
        return catalog.segments(clusterId, from, to).stream().filter(s -> s.segment().lastRevision() < cut)
                .map(SegmentEntry::of).toList();
    }

    /** The stored bytes of one segment, read whole (a segment holds at most a second or N changes). */
    public SegmentBytes bytes(String clusterId, long id) {
        StoredSegment stored = stored(clusterId, id);
        try (InputStream in = store.open(stored.location())) {
            return new SegmentBytes(stored.segment(), in.readAllBytes());
        } catch (NoSuchFileException e) {
            throw BackupRequestRefused.notFound("the stored bytes of " + stored.segment() + " are missing from "
                    + store.describe() + " (" + stored.location() + ")");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + stored.segment() + " at " + stored.location() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The newest revision whose change was seen at or before {@code time}, from the changes' own times inside the
     * segment the time index points at (a segment spans up to a second; its changes tell the moment apart).
     */
    public RevisionAt revisionAt(String clusterId, Instant time) {
        known(clusterId);
        StoredSegment stored = catalog.openedAtOrBefore(clusterId, time).orElseThrow(() ->
                BackupRequestRefused.notFound("the change log of " + clusterId + " holds no change seen at or before "
                        + time));
        Segment segment = stored.segment();
        if (!segment.lastChangeAt().isAfter(time)) {
            return new RevisionAt(clusterId, time, segment.lastRevision(), segment.lastChangeAt(), segment.firstRevision());
        }
        List<Change> changes;
        try {
            changes = SegmentCodec.decode(bytes(clusterId, segment.firstRevision()).bytes(), segment.sha256()).changes();
        } catch (CorruptSegmentException e) {
            throw BackupRequestRefused.conflict(segment + " cannot answer for " + time + ": " + e.getMessage());
        }
        // a revision counts once its first change was seen: the moment its transaction reached the log
        Change newest = changes.get(0);
        for (Change change : changes) {
            if (change.seenAt().isAfter(time)) {
                break; // one recorder's clock wrote them: the times only grow within a segment
            }
            if (change.revision() != newest.revision()) {
                newest = change;
            }
        }
        return new RevisionAt(clusterId, time, newest.revision(), newest.seenAt(), segment.firstRevision());
    }

    private StoredSegment stored(String clusterId, long id) {
        known(clusterId);
        return catalog.segment(clusterId, id).orElseThrow(() -> BackupRequestRefused.notFound("the change log of "
                + clusterId + " has no segment " + id + " (a segment's id is its first revision)"));
    }

    private void known(String clusterId) {
        if (inventory.cluster(clusterId).isEmpty()) {
            throw BackupRequestRefused.notFound("no cluster '" + clusterId + "' in the inventory");
        }
    }
}
