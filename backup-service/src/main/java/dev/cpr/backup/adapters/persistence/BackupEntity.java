package dev.cpr.backup.adapters.persistence;

import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.snapshot.TakenSnapshot;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of the catalog. State changes go through the transition methods, each of which bumps
 * {@code sequence} (the order readers of {@code cpr.backups} go by).
 */
@Entity
@Table(name = "backups")
public class BackupEntity {

    public static final String KIND_ETCD_V3 = "etcd-v3-snapshot";

    @Id
    UUID id;
    @Column(name = "cluster_id")
    String clusterId;
    String kind;
    String status;
    @Column(name = "trigger_kind")
    String trigger;
    @Column(name = "scheduled_slot")
    Instant scheduledSlot;
    @Column(name = "incident_id")
    String incidentId;
    String member;
    String location;
    String compression;
    @Column(name = "size_bytes")
    Long sizeBytes;
    @Column(name = "snapshot_bytes")
    Long snapshotBytes;
    String sha256;
    Long revision;
    @Column(name = "revision_end")
    Long revisionEnd;
    @Column(name = "key_count")
    Long keyCount;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "updated_at")
    Instant updatedAt;
    @Column(name = "completed_at")
    Instant completedAt;
    @Column(name = "verified_at")
    Instant verifiedAt;
    String verification;
    long sequence;
    @Column(name = "v2_location")
    String v2Location;
    @Column(name = "v2_size_bytes")
    Long v2SizeBytes;
    @Column(name = "v2_sha256")
    String v2Sha256;
    @Column(name = "v2_key_count")
    Long v2KeyCount;
    @Column(name = "v2_etcd_index")
    Long v2EtcdIndex;

    protected BackupEntity() {
    }

    /** @param kind {@code etcd-v3-snapshot}, {@code bbr-deployment} or {@code bbr-director} */
    static BackupEntity started(UUID id, String clusterId, String kind, String trigger, String compression,
            Instant scheduledSlot, String incidentId, Instant now) {
        BackupEntity e = new BackupEntity();
        e.id = id;
        e.clusterId = clusterId;
        e.kind = kind;
        e.status = BackupStatus.IN_PROGRESS.wire();
        e.trigger = trigger;
        e.compression = compression;
        e.scheduledSlot = scheduledSlot;
        e.incidentId = incidentId;
        e.createdAt = now;
        e.updatedAt = now;
        e.sequence = 1;
        return e;
    }

    void memberChosen(String member, Instant now) {
        this.member = member;
        touch(now);
    }

    void completed(TakenSnapshot taken, dev.cpr.backup.domain.v2.V2Export v2, Instant now) {
        if (v2 != null) {
            v2Location = v2.location();
            v2SizeBytes = v2.sizeBytes();
            v2Sha256 = v2.sha256();
            v2KeyCount = v2.keyCount();
            v2EtcdIndex = v2.etcdIndex();
        }
        status = BackupStatus.COMPLETED.wire();
        member = taken.member();
        location = taken.location();
        sizeBytes = taken.sizeBytes();
        snapshotBytes = taken.snapshotBytes();
        sha256 = taken.sha256();
        revision = taken.before().revision();
        keyCount = taken.before().keyCount();
        revisionEnd = taken.after() != null ? taken.after().revision() : null;
        completedAt = now;
        verification = null;
        touch(now);
    }

    void failed(String member, String reason, Instant now) {
        status = BackupStatus.FAILED.wire();
        if (member != null) {
            this.member = member;
        }
        location = null;
        v2Location = null;
        verification = reason;
        touch(now);
    }

    /**
     * A BBR artifact directory checked by checksum: verified (restorable) or corrupt (kept to be looked at, never
     * offered). {@code detail} is the verifier's summary.
     */
    void bbrChecked(boolean verified, String artifactDir, String detail, long bytes, Instant now) {
        location = artifactDir;
        sizeBytes = bytes;
        verification = detail;
        completedAt = now;
        if (verified) {
            status = BackupStatus.VERIFIED.wire();
            verifiedAt = now;
        } else {
            status = BackupStatus.CORRUPT.wire();
        }
        touch(now);
    }

    /** Verified or corrupt; an inconclusive drill only records its reason. */
    void drilled(DrillResult result, Instant now) {
        verification = result.detail();
        switch (result.verdict()) {
            case VERIFIED -> {
                status = BackupStatus.VERIFIED.wire();
                verifiedAt = now;
                if (result.restoredRevision() != null) {
                    // the drill settles what a raced snapshot holds: later drills compare exactly
                    revision = result.restoredRevision();
                    revisionEnd = result.restoredRevision();
                    keyCount = result.restoredKeyCount();
                }
            }
            case CORRUPT -> status = BackupStatus.CORRUPT.wire();
            case INCONCLUSIVE -> {
            }
        }
        touch(now);
    }

    private void touch(Instant now) {
        updatedAt = now;
        sequence++;
    }

    public UUID id() {
        return id;
    }

    public String kind() {
        return kind;
    }

    public BackupStatus status() {
        return BackupStatus.fromWire(status);
    }

    public BackupUpdate view() {
        return new BackupUpdate(id.toString(), clusterId, kind, status(), trigger, scheduledSlot, incidentId, member, location, compression,
                sizeBytes, sha256, revision, keyCount, createdAt, updatedAt, verifiedAt, verification, sequence);
    }

    /** The v2 keyspace export beside the snapshot, if there is one. */
    public java.util.Optional<dev.cpr.backup.domain.v2.V2Export> v2() {
        return v2Location == null ? java.util.Optional.empty() : java.util.Optional.of(
                new dev.cpr.backup.domain.v2.V2Export(v2Location, v2SizeBytes, v2Sha256, v2KeyCount, v2EtcdIndex));
    }

    public Long revisionEnd() {
        return revisionEnd;
    }
}
