package dev.cpr.notifier.adapters.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One approval attempt from Slack (a button click or a {@code /cpr backup|recover}), accepted or not. */
@Entity
@Table(name = "approval_audit")
public class ApprovalAuditEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private Instant at;

    @Column(nullable = false)
    private String source;

    @Column(name = "slack_user_id")
    private String slackUserId;

    @Column(name = "plan_id")
    private String planId;

    @Column(name = "cluster_id")
    private String clusterId;

    private String decision;

    @Column(nullable = false)
    private String outcome;

    @Column(nullable = false)
    private int status;

    private String reason;

    @Column(name = "approval_id")
    private String approvalId;

    @Column(name = "plan_digest")
    private String planDigest;

    protected ApprovalAuditEntity() {
    }

    /** The approval id and plan digest of the decision published for this attempt (restore-service's audit has both). */
    public ApprovalAuditEntity published(String approvalId, String planDigest) {
        this.approvalId = approvalId;
        this.planDigest = planDigest;
        return this;
    }

    public String approvalId() {
        return approvalId;
    }

    public String planDigest() {
        return planDigest;
    }

    public static ApprovalAuditEntity of(Instant at, String source, String slackUserId, String planId, String clusterId,
            String decision, String outcome, int status, String reason) {
        ApprovalAuditEntity e = new ApprovalAuditEntity();
        e.at = at;
        e.source = source;
        e.slackUserId = slackUserId;
        e.planId = planId;
        e.clusterId = clusterId;
        e.decision = decision;
        e.outcome = outcome;
        e.status = status;
        e.reason = reason;
        return e;
    }

    public Long id() {
        return id;
    }

    public Instant at() {
        return at;
    }

    public String source() {
        return source;
    }

    public String slackUserId() {
        return slackUserId;
    }

    public String planId() {
        return planId;
    }

    public String clusterId() {
        return clusterId;
    }

    public String decision() {
        return decision;
    }

    public String outcome() {
        return outcome;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
