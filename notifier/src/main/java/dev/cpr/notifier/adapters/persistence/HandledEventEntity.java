package dev.cpr.notifier.adapters.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A CloudEvent notifier has handled; stored with the message it produced so a redelivery produces nothing. */
@Entity
@Table(name = "handled_event")
public class HandledEventEntity extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    private String eventId;

    @Column(nullable = false)
    private String type;

    @Column(name = "incident_id")
    private String incidentId;

    @Column(name = "handled_at", nullable = false)
    private Instant handledAt;

    protected HandledEventEntity() {
    }

    public HandledEventEntity(String eventId, String type, String incidentId, Instant handledAt) {
        this.eventId = eventId;
        this.type = type;
        this.incidentId = incidentId;
        this.handledAt = handledAt;
    }

    public String eventId() {
        return eventId;
    }
}
