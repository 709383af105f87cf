package dev.cpr.restore.adapters.persistence;

import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
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
        e.update(plan);
        return e;
    }

    void update(RecoveryPlan plan) {
        state = plan.state();
        updatedAt = plan.updatedAt();
        rtoMillis = plan.rtoMillis();
        message = plan.message();
        sequence = plan.sequence();
    }

    RecoveryPlan toDomain(List<PlanStep> steps) {
        return new RecoveryPlan(id, incidentId, clusterId, plan, targetMember, state, mode, createdAt, updatedAt,
                detectedAt, rtoMillis, message, sequence, steps);
    }
}
