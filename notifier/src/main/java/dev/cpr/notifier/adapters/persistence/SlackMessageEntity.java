package dev.cpr.notifier.adapters.persistence;

import dev.cpr.notifier.app.StoredMessage;
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
 * event is handled; its {@code channel}, {@code ts} and {@code thread_ts} are filled in by the outbox sender
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

    /** A row for a message not yet stored. */
    static SlackMessageEntity of(StoredMessage draft) {
        SlackMessageEntity e = new SlackMessageEntity();
        e.kind = draft.kind();
        e.incidentId = draft.incidentId();
        e.clusterId = draft.clusterId();
        e.planId = draft.planId();
        e.channel = draft.channel();
        e.ts = draft.ts();
        e.threadTs = draft.threadTs();
        e.parentId = draft.parentId();
        e.state = draft.state();
        e.lastSequence = draft.lastSequence();
        e.incidentJson = draft.incidentJson();
        e.updateJson = draft.updateJson();
        e.decision = draft.decision();
        e.decidedBy = draft.decidedBy();
        e.decidedAt = draft.decidedAt();
        e.createdAt = draft.createdAt();
        e.updatedAt = draft.updatedAt();
        return e;
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
