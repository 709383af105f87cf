package dev.cpr.restore.adapters.persistence;

import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** A row of {@code recovery_plan}. Only the persistence adapter sees it; the rest works with {@link RecoveryPlan}. */
@Entity
@Table(name = "recovery_plan")
public class PlanEntity extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "incident_id")
    public String incidentId;
    @Column(name = "cluster_id")
    public String clusterId;
    public String plan;
    @Column(name = "target_member")
    public String targetMember;
    @Enumerated(EnumType.STRING)
    public PlanState state;
    @Enumerated(EnumType.STRING)
    public RecoveryMode mode;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "detected_at")
    public Instant detectedAt;
    @Column(name = "rto_ms")
    public Long rtoMillis;
    public String message;
    public long sequence;
    @Column(name = "snapshot_id")
    public String snapshotId;
    @Column(name = "snapshot_revision")
    public Long snapshotRevision;
    @Column(name = "snapshot_key_count")
    public Long snapshotKeyCount;
    @Column(name = "snapshot_created_at")
    public Instant snapshotCreatedAt;
    @Column(name = "snapshot_sha256")
    public String snapshotSha256;
    @Column(name = "snapshot_compression")
    public String snapshotCompression;
    @Column(name = "snapshot_size_bytes")
    public Long snapshotSizeBytes;
    @Column(name = "decided_by")
    public String decidedBy;
    @Column(name = "decided_at")
    public Instant decidedAt;
    @Column(name = "rpo_seconds")
    public Long rpoSeconds;
    /** The ranked quorum-loss options as a JSON array (null for other plans); written once, at proposal. */
    public String options;
    /** A point-in-time restore's target revision (null: the snapshot only); written once, at proposal. */
    @Column(name = "target_revision")
    public Long targetRevision;
    /** Lease and cancel request: written by their own updates, never by a transition. */
    @Column(name = "runner_id")
    public String runnerId;
    @Column(name = "lease_until")
    public Instant leaseUntil;
    @Column(name = "cancel_requested_by")
    public String cancelRequestedBy;
    @Column(name = "cancel_requested_at")
    public Instant cancelRequestedAt;

    static PlanEntity of(RecoveryPlan plan) {
        PlanEntity e = new PlanEntity();
        e.id = plan.id();
        e.incidentId = plan.incidentId();
        e.clusterId = plan.clusterId();
        e.plan = plan.plan();
        e.targetMember = plan.targetMember();
        e.mode = plan.mode();
        e.createdAt = plan.createdAt();
        e.detectedAt = plan.detectedAt();
        SnapshotRef ref = plan.snapshot();
        if (ref != null) {
            e.snapshotId = ref.id();
            e.snapshotRevision = ref.revision();
            e.snapshotKeyCount = ref.keyCount();
            e.snapshotCreatedAt = ref.createdAt();
            e.snapshotSha256 = ref.sha256();
            e.snapshotCompression = ref.compression();
            e.snapshotSizeBytes = ref.sizeBytes();
        }
        e.options = RecoveryOptionsJson.write(plan.options());
        e.targetRevision = plan.targetRevision();
        e.update(plan);
        return e;
    }

    void update(RecoveryPlan plan) {
        state = plan.state();
        updatedAt = plan.updatedAt();
        rtoMillis = plan.rtoMillis();
        message = plan.message();
        sequence = plan.sequence();
        decidedBy = plan.decidedBy();
        decidedAt = plan.decidedAt();
        rpoSeconds = plan.rpoSeconds();
    }

    RecoveryPlan toDomain(List<PlanStep> steps) {
        SnapshotRef ref = snapshotId == null ? null : new SnapshotRef(snapshotId, clusterId,
                snapshotRevision == null ? 0 : snapshotRevision, snapshotKeyCount == null ? 0 : snapshotKeyCount,
                snapshotCreatedAt, snapshotSha256, snapshotCompression, snapshotSizeBytes);
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, state, mode, createdAt, updatedAt,
                detectedAt, rtoMillis, message, sequence, steps, ref, decidedBy, decidedAt, rpoSeconds,
                RecoveryOptionsJson.read(options), targetRevision);
    }
}
