package dev.cpr.backup.app;

import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.contracts.changelog.Segment;
import java.util.List;
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

    /** The cluster's stored segments in revision order. */
    List<StoredSegment> segments(String clusterId);
}
