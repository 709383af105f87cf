package dev.cpr.backup.adapters.persistence;

import dev.cpr.backup.domain.changelog.BrokenChain;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A part of a cluster's change log a drill found not restorable (V8), and when its incident was resolved (V9). */
@Entity
@Table(name = "changelog_broken")
@IdClass(ChangeLogBrokenEntity.Key.class)
public class ChangeLogBrokenEntity {

    @Id
    @Column(name = "cluster_id")
    String clusterId;
    @Id
    @Column(name = "from_revision")
    long fromRevision;
    @Column(name = "to_revision")
    long toRevision;
    @Column(name = "reason")
    String reason;
    @Column(name = "found_at")
    Instant foundAt;
    /** When its incident was resolved (V9); null while open. */
    @Column(name = "resolved_at")
    Instant resolvedAt;

    protected ChangeLogBrokenEntity() {
    }

    static ChangeLogBrokenEntity of(BrokenChain broken) {
        ChangeLogBrokenEntity e = new ChangeLogBrokenEntity();
        e.clusterId = broken.clusterId();
        e.fromRevision = broken.fromRevision();
        e.toRevision = broken.toRevision();
        e.reason = broken.reason();
        e.foundAt = broken.foundAt();
        return e;
    }

    BrokenChain view() {
        return new BrokenChain(clusterId, fromRevision, toRevision, reason, foundAt);
    }

    /** The composite key: a cluster and the first revision of the broken part. */
    public static class Key implements Serializable {
        String clusterId;
        long fromRevision;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.fromRevision == fromRevision && Objects.equals(k.clusterId, clusterId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(clusterId, fromRevision);
        }
    }
}
