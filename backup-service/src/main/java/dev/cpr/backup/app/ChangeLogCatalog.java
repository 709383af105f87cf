package dev.cpr.backup.app;

import dev.cpr.backup.domain.changelog.BrokenChain;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.contracts.changelog.Segment;
import dev.cpr.contracts.incident.IncidentOpened;
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

    /** The parts of the cluster's log drills found not restorable, in revision order. */
    List<BrokenChain> broken(String clusterId);

    /**
     * Forgets the cluster's segments, its last durable revision and its broken marks, in one transaction, when etcd
     * was restored and the revisions after the restored point belong to another history. The stored files stay where
     * they are.
     *
     * @return the segments forgotten
     */
    int forget(String clusterId);

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
