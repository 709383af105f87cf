package dev.cpr.restore.adapters.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code approval_audit}: one approval attempt. Only the persistence adapter sees it. */
@Entity
@Table(name = "approval_audit")
public class ApprovalAuditEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public Instant at;
    public String channel;
    @Column(name = "claimed_channel")
    public String claimedChannel;
    @Column(name = "approval_id")
    public String approvalId;
    @Column(name = "plan_id")
    public String planId;
    @Column(name = "cluster_id")
    public String clusterId;
    public String decision;
    @Column(name = "decided_by")
    public String decidedBy;
    @Column(name = "decided_at")
    public Instant decidedAt;
    @Column(name = "plan_digest")
    public String planDigest;
    public boolean signed;
    public String outcome;
    public String refusal;
    public String reason;
}
