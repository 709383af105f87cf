package dev.cpr.healthmonitor.adapters.persistence;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.healthmonitor.domain.OpenIncident;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/**
 * A row of {@code health_monitor.incident}. A unique partial index allows one OPEN row per cluster
 * and failure, except MEMBER_UNHEALTHY: one OPEN row per cluster and named members (V7, issue #15). Its events are
 * not tracked here: each change writes its event into the outbox in the same transaction ({@link IncidentOutbox}).
 */
@Entity
@Table(name = "incident")
public class IncidentEntity {

    @Id
    private String id;

    @Column(name = "cluster_id", nullable = false)
    private String clusterId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private FailureKind failure;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private IncidentState state;

    @Convert(converter = StringListConverter.class)
    @Column(name = "failed_members", nullable = false)
    private List<String> failedMembers;

    @Convert(converter = MemberHealthListConverter.class)
    @Column(nullable = false)
    private List<MemberHealth> members;

    @Column(nullable = false)
    private String summary;

    @Column(name = "first_seen_at", nullable = false)
    private Instant firstSeenAt;

    @Column(name = "detected_at", nullable = false)
    private Instant detectedAt;

    @Column(name = "resolved_at")
    private Instant resolvedAt;

    protected IncidentEntity() {
    }

    public static IncidentEntity opened(OpenIncident incident, List<MemberHealth> members) {
        IncidentEntity entity = new IncidentEntity();
        entity.id = incident.id();
        entity.clusterId = incident.clusterId();
        entity.failure = incident.failure();
        entity.state = IncidentState.OPEN;
        entity.failedMembers = incident.failedMembers();
        entity.members = List.copyOf(members);
        entity.summary = incident.summary();
        entity.firstSeenAt = incident.firstSeenAt();
        entity.detectedAt = incident.detectedAt();
        return entity;
    }

    public void resolve(Instant at) {
        state = IncidentState.RESOLVED;
        resolvedAt = at;
    }

    public OpenIncident toOpenIncident() {
        return new OpenIncident(id, clusterId, failure, failedMembers, summary, firstSeenAt, detectedAt);
    }

    public String id() {
        return id;
    }

    public String clusterId() {
        return clusterId;
    }

    public FailureKind failure() {
        return failure;
    }

    public IncidentState state() {
        return state;
    }

    public List<String> failedMembers() {
        return failedMembers;
    }

    public List<MemberHealth> members() {
        return members;
    }

    public String summary() {
        return summary;
    }

    public Instant firstSeenAt() {
        return firstSeenAt;
    }

    public Instant detectedAt() {
        return detectedAt;
    }

    public Instant resolvedAt() {
        return resolvedAt;
    }
}
