package dev.cpr.backup.adapters.persistence;

import dev.cpr.backup.domain.changelog.ProvenChain;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** An older change-log chain proven by replay (V10). */
@Entity
@Table(name = "changelog_proven")
@IdClass(ChangeLogProvenEntity.Key.class)
public class ChangeLogProvenEntity {

    @Id
    @Column(name = "cluster_id")
    String clusterId;
    @Id
    @Column(name = "from_backup_id")
    String fromBackupId;
    @Id
    @Column(name = "next_backup_id")
    String nextBackupId;
    @Column(name = "proven_at")
    Instant provenAt;

    protected ChangeLogProvenEntity() {
    }

    static ChangeLogProvenEntity of(ProvenChain chain) {
        ChangeLogProvenEntity e = new ChangeLogProvenEntity();
        e.clusterId = chain.clusterId();
        e.fromBackupId = chain.fromBackupId();
        e.nextBackupId = chain.nextBackupId();
        e.provenAt = chain.provenAt();
        return e;
    }

    static Key key(String clusterId, String fromBackupId, String nextBackupId) {
        Key key = new Key();
        key.clusterId = clusterId;
        key.fromBackupId = fromBackupId;
        key.nextBackupId = nextBackupId;
        return key;
    }

    /** The composite key: a cluster and the two snapshots the chain runs between. */
    public static class Key implements Serializable {
        String clusterId;
        String fromBackupId;
        String nextBackupId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.clusterId, clusterId)
                    && Objects.equals(k.fromBackupId, fromBackupId) && Objects.equals(k.nextBackupId, nextBackupId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(clusterId, fromBackupId, nextBackupId);
        }
    }
}
