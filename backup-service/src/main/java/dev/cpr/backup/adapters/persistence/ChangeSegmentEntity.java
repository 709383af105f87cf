package dev.cpr.backup.adapters.persistence;

import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.contracts.changelog.Segment;
import dev.cpr.contracts.changelog.SegmentCodec;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One stored segment of a cluster's change log (written once, never changed). */
@Entity
@Table(name = "changelog_segments")
@IdClass(ChangeSegmentEntity.Key.class)
public class ChangeSegmentEntity {

    @Id
    @Column(name = "cluster_id")
    String clusterId;
    @Id
    @Column(name = "first_revision")
    long firstRevision;
    @Column(name = "last_revision")
    long lastRevision;
    @Column(name = "change_count")
    int count;
    String sha256;
    String location;
    @Column(name = "size_bytes")
    long sizeBytes;
    @Column(name = "format_version")
    int formatVersion;
    @Column(name = "opened_at")
    Instant openedAt;
    @Column(name = "closed_at")
    Instant closedAt;
    @Column(name = "last_change_at")
    Instant lastChangeAt;

    protected ChangeSegmentEntity() {
    }

    static ChangeSegmentEntity of(Segment segment, String location, long sizeBytes) {
        ChangeSegmentEntity e = new ChangeSegmentEntity();
        e.clusterId = segment.clusterId();
        e.firstRevision = segment.firstRevision();
        e.lastRevision = segment.lastRevision();
        e.count = segment.count();
        e.sha256 = segment.sha256();
        e.location = location;
        e.sizeBytes = sizeBytes;
        e.formatVersion = SegmentCodec.VERSION;
        e.openedAt = segment.openedAt();
        e.closedAt = segment.closedAt();
        e.lastChangeAt = segment.lastChangeAt();
        return e;
    }

    StoredSegment view() {
        return new StoredSegment(new Segment(clusterId, firstRevision, lastRevision, count, sha256, openedAt, closedAt,
                lastChangeAt), location, sizeBytes);
    }

    /** The composite key: a cluster's segments are told apart by their first revision. */
    public static class Key implements Serializable {
        String clusterId;
        long firstRevision;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.clusterId.equals(clusterId) && k.firstRevision == firstRevision;
        }

        @Override
        public int hashCode() {
            return clusterId.hashCode() * 31 + Long.hashCode(firstRevision);
        }
    }
}
