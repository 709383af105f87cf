package dev.cpr.backup.adapters.persistence;

import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.platform.outbox.Outbox;
import dev.cpr.platform.outbox.OutboxTable;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * backup-service's events as outbox rows, written in the transaction of the change they report (call inside
 * {@code Panache.withTransaction}); the relay ({@code adapters.kafka.OutboxPublisher}) sends them. The ids are those
 * the service always used, so consumers that de-duplicate on them recognise a re-publish: {@code <backup>-<sequence>}
 * for a catalog change, {@code <incident>-opened} / {@code <incident>-resolved} for an RPO incident.
 */
@ApplicationScoped
public class BackupOutbox {

    public static final OutboxTable TABLE = OutboxTable.inSchema("backup_service");

    private final Outbox outbox = new Outbox(TABLE);
    private final EventCodec codec;

    public BackupOutbox(EventCodec codec) {
        this.codec = codec;
    }

    /** {@code dev.cpr.backup.updated} (the whole entry) on {@code cpr.backups}. */
    Uni<Void> updated(BackupUpdate update) {
        return Panache.getSession().chain(session -> outbox.enqueue(session, Topics.BACKUPS,
                codec.wrap(update.backupId() + "-" + update.sequence(), EventTypes.BACKUP_UPDATED, update.clusterId(),
                        update)));
    }

    /**
     * An RPO incident's opening on {@code cpr.incidents}. Every replica derives the same incident id, so the first one
     * written wins; false when it was already there.
     */
    Uni<Boolean> incidentOpened(IncidentOpened incident) {
        return Panache.getSession().chain(session -> outbox.enqueueOnce(session, Topics.INCIDENTS,
                codec.wrap(incident.incidentId() + "-opened", EventTypes.INCIDENT_OPENED, incident.clusterId(),
                        incident)));
    }

    /** An RPO incident's resolution on {@code cpr.incidents}; false when another replica already wrote it. */
    Uni<Boolean> incidentResolved(IncidentResolved resolved) {
        return Panache.getSession().chain(session -> outbox.enqueueOnce(session, Topics.INCIDENTS,
                codec.wrap(resolved.incidentId() + "-resolved", EventTypes.INCIDENT_RESOLVED, resolved.clusterId(),
                        resolved)));
    }
}
