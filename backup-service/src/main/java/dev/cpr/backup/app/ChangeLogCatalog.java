package dev.cpr.backup.app;

import dev.cpr.backup.domain.changelog.BrokenChain;
import dev.cpr.backup.domain.changelog.ProvenChain;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.contracts.changelog.Segment;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The change-log part of the catalog (PostgreSQL in the service); blocking. */
public interface ChangeLogCatalog {

    /** The last revision of the cluster whose change is in a stored segment, if any is. */
    OptionalLong lastDurableRevision(String clusterId);

    /**
     * Records a stored segment and moves the cluster's last durable revision to its last revision, in one
     * transaction.
     *
     * @throws IllegalStateException when the last durable revision is already at or past the segment's first one
     *                               (another recorder wrote these revisions): nothing is recorded
     */
    void recorded(Segment segment, String location, long sizeBytes);

    /**
     * Marks a part of the cluster's log not restorable and writes the incident it opens (an outbox row), in one
     * transaction, so a mark never exists without its incident nor the incident without its mark.
     *
     * @return false, with nothing written, when this part (cluster and first revision) was marked already: by an
     *         earlier drill or another replica
     */
    boolean markBroken(BrokenChain broken, IncidentOpened incident);

    /** The parts of the cluster's log drills found not restorable, in revision order (resolved ones too). */
    List<BrokenChain> broken(String clusterId);

    /** The parts whose incident is still open, in revision order. */
    List<BrokenChain> openBreaks(String clusterId);

    /**
     * Records that a broken part's incident is resolved (a verified snapshot lies past it, so the chain is restorable
     * again from there) and writes the resolution (an outbox row), in one transaction. The mark itself stays: it still
     * cuts the points in time of older snapshots.
     *
     * @return false, with nothing written, when it was resolved already (by an earlier pass or another replica)
     */
    boolean resolveBroken(BrokenChain broken, IncidentResolved resolved);

    /** Records an older chain proven by replay, once (a chain proven already stays as first recorded). */
    void proven(ProvenChain chain);

    /** Whether the chain from one verified snapshot to the next was proven by replay, by any replica, ever. */
    boolean isProven(String clusterId, String fromBackupId, String nextBackupId);

    /**
     * Forgets the cluster's segments, its position (last durable revision, etcd cluster id), its broken marks and its
     * proven chains, in one transaction, when etcd was restored and the revisions after the restored point belong to
     * another history.
     * The stored files are the caller's to delete, after this returns (a file without a row is garbage, a row without a
     * file a lie).
     *
     * @return the segments forgotten, in revision order
     */
    List<StoredSegment> forget(String clusterId);

    /**
     * Removes the catalog rows of these segments of the cluster (told apart by location, so a row recorded since under
     * the same first revision is never removed), in one transaction. The files are the caller's to delete afterwards.
     *
     * @return the rows removed
     */
    int remove(String clusterId, List<StoredSegment> segments);

    /** The etcd cluster id the cluster's current chain is recorded from, if a chain started since V7. */
    OptionalLong etcdClusterId(String clusterId);

    /**
     * Records that the cluster's chain is recorded from this etcd cluster (a new etcd cluster id means a restore), kept
     * with its position so a restore while the service was down is seen after a restart too.
     */
    void recordingFrom(String clusterId, long etcdClusterId);

    /** The cluster's stored segments in revision order. */
    List<StoredSegment> segments(String clusterId);

    /** The cluster's stored segments holding any revision in {@code after+1..upTo}, in revision order. */
    default List<StoredSegment> segments(String clusterId, long after, long upTo) {
        return segments(clusterId).stream()
                .filter(s -> s.segment().lastRevision() > after && s.segment().firstRevision() <= upTo).toList();
    }

    /** The stored segment starting at {@code firstRevision} (a segment's id within its cluster). */
    default Optional<StoredSegment> segment(String clusterId, long firstRevision) {
        return segments(clusterId).stream().filter(s -> s.segment().firstRevision() == firstRevision).findFirst();
    }

    /** The newest stored segment whose first change was seen at or before {@code time} (the time index). */
    default Optional<StoredSegment> openedAtOrBefore(String clusterId, Instant time) {
        return segments(clusterId).stream().filter(s -> !s.segment().openedAt().isAfter(time))
                .max(Comparator.comparingLong(s -> s.segment().firstRevision()));
    }
}
