package dev.cpr.backup.adapters.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A cluster's last durable revision (a recorder starting again starts after it; null before the chain's first segment)
 * and the etcd cluster id the chain is recorded from (null for a chain started before V7).
 */
@Entity
@Table(name = "changelog_positions")
public class ChangeLogPositionEntity {

    @Id
    @Column(name = "cluster_id")
    String clusterId;
    @Column(name = "last_durable_revision")
    Long lastDurableRevision;
    @Column(name = "etcd_cluster_id")
    Long etcdClusterId;
    @Column(name = "updated_at")
    Instant updatedAt;

    protected ChangeLogPositionEntity() {
    }

    static ChangeLogPositionEntity of(String clusterId, Long revision, Instant now) {
        ChangeLogPositionEntity e = new ChangeLogPositionEntity();
        e.clusterId = clusterId;
        e.lastDurableRevision = revision;
        e.updatedAt = now;
        return e;
    }
}
