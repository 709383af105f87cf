package dev.cpr.notifier.adapters.kafka;

import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.notifier.app.BackupAlerts;
import dev.cpr.notifier.app.NotificationService;
import dev.cpr.platform.events.EventInbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code cpr.incidents}, {@code cpr.recoveries} and {@code cpr.backups} (channels {@code incidents},
 * {@code recoveries} and {@code backups}, topics mapped in application.properties). A failed Uni nacks the record: the dead-letter-queue failure
 * strategy sends it to the channel's DLQ topic and the consumer carries on.
 */
@ApplicationScoped
public class EventConsumer {

    private final EventInbox incidents;
    private final EventInbox recoveries;
    private final EventInbox backups;

    EventConsumer(NotificationService notifications, BackupAlerts backupAlerts) {
        this.incidents = EventInbox.of(Topics.INCIDENTS, "notifier")
                .onEvent(EventTypes.INCIDENT_OPENED, (event, context) -> notifications.handle(event))
                .onEvent(EventTypes.INCIDENT_RESOLVED, (event, context) -> notifications.handle(event))
                .build();
        this.recoveries = EventInbox.of(Topics.RECOVERIES, "notifier")
                .onEvent(EventTypes.RECOVERY_UPDATED, (event, context) -> notifications.handle(event))
                .build();
        this.backups = EventInbox.of(Topics.BACKUPS, "notifier")
                .onEvent(EventTypes.BACKUP_UPDATED, (event, context) -> backupAlerts.handle(event))
                .build();
    }

    @Incoming("incidents")
    public Uni<Void> onIncident(String value) {
        return incidents.deliver(value);
    }

    @Incoming("recoveries")
    public Uni<Void> onRecovery(String value) {
        return recoveries.deliver(value);
    }

    @Incoming("backups")
    public Uni<Void> onBackup(String value) {
        return backups.deliver(value);
    }
}
