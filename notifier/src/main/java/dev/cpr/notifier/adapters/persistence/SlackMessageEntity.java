package dev.cpr.notifier.adapters.persistence;

import dev.cpr.notifier.domain.NotificationKind;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A Slack message notifier posts (or recorded, with no ts, when delivery is off). The row is written when the
 * event is handled; its {@code channel}, {@code ts} and {@code thread_ts} are filled in by the outbox drainer
 * once Slack took it. Updates write only the columns they change, so they never undo the drainer's.
 */
@DynamicUpdate
@Entity
@Table(name = "slack_message")
public class SlackMessageEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "incident_id")
    private String incidentId;

    @Column(name = "cluster_id", nullable = false)
    private String clusterId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private NotificationKind kind;

    @Column(name = "plan_id")
    private String planId;

    @Column(nullable = false)
    private String channel;

    private String ts;

    @Column(name = "thread_ts")
    private String threadTs;

    @Column(name = "last_sequence")
    private Long lastSequence;

    private String state;

    @Column(name = "incident_json")
    private String incidentJson;

    @Column(name = "parent_id")
    private Long parentId;

    @Column(name = "update_json")
    private String updateJson;

    private String decision;

    @Column(name = "decided_by")
    private String decidedBy;

    @Column(name = "decided_at")
    private Instant decidedAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected SlackMessageEntity() {
    }

    public static SlackMessageEntity create(NotificationKind kind, String incidentId, String clusterId, String planId,
            String channel, String ts, String threadTs, Instant now) {
        SlackMessageEntity e = new SlackMessageEntity();
        e.kind = kind;
        e.incidentId = incidentId;
        e.clusterId = clusterId;
        e.planId = planId;
        e.channel = channel;
        e.ts = ts;
        e.threadTs = threadTs;
        e.createdAt = now;
        e.updatedAt = now;
        return e;
    }

    public SlackMessageEntity withState(String newState) {
        this.state = newState;
        return this;
    }

    public SlackMessageEntity withIncidentJson(String json) {
        this.incidentJson = json;
        return this;
    }

    /** A reply in the thread of {@code parent} (null: top-level). */
    public SlackMessageEntity inThreadOf(SlackMessageEntity parent) {
        this.parentId = parent == null ? null : parent.id();
        return this;
    }

    /** Records that the message shows {@code sequence} in state {@code newState} (the update as JSON). */
    public void showing(long sequence, String newState, String json, Instant now) {
        this.lastSequence = sequence;
        this.state = newState;
        this.updateJson = json;
        this.updatedAt = now;
    }

    /** Records a decision taken in Slack on the plan this message shows. */
    public void decided(String newDecision, String by, Instant at) {
        this.decision = newDecision;
        this.decidedBy = by;
        this.decidedAt = at;
        this.updatedAt = at;
    }

    public void changedTo(String newState, Instant now) {
        this.state = newState;
        this.updatedAt = now;
    }

    public Long id() {
        return id;
    }

    public String incidentId() {
        return incidentId;
    }

    public String clusterId() {
        return clusterId;
    }

    public NotificationKind kind() {
        return kind;
    }

    public String planId() {
        return planId;
    }

    public String channel() {
        return channel;
    }

    public String ts() {
        return ts;
    }

    public String threadTs() {
        return threadTs;
    }

    public Long lastSequence() {
        return lastSequence;
    }

    public String state() {
        return state;
    }

    public String incidentJson() {
        return incidentJson;
    }

    public Long parentId() {
        return parentId;
    }

    public String updateJson() {
        return updateJson;
    }

    public String decision() {
        return decision;
    }

    public String decidedBy() {
        return decidedBy;
    }

    public Instant decidedAt() {
        return decidedAt;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
