package dev.cpr.backup.adapters.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A cluster's last durable revision: a recorder starting again starts after it. */
@Entity
@Table(name = "changelog_positions")
public class ChangeLogPositionEntity {

    @Id
    @Column(name = "cluster_id")
    String clusterId;
    @Column(name = "last_durable_revision")
    long lastDurableRevision;
    @Column(name = "updated_at")
    Instant updatedAt;

    protected ChangeLogPositionEntity() {
    }

    static ChangeLogPositionEntity of(String clusterId, long revision, Instant now) {
        ChangeLogPositionEntity e = new ChangeLogPositionEntity();
        e.clusterId = clusterId;
        e.lastDurableRevision = revision;
        e.updatedAt = now;
        return e;
    }
}
