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

/** A Slack message notifier posted (or recorded, with no ts, when delivery is off). */
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

    /** Records that the message (now {@code currentTs}) shows {@code sequence} in state {@code newState}. */
    public void showing(long sequence, String newState, String currentTs, Instant now) {
        this.lastSequence = sequence;
        this.ts = currentTs;
        this.state = newState;
        this.updatedAt = now;
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

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
