package dev.cpr.backup.adapters.persistence;

import dev.cpr.backup.adapters.kafka.OutboxPublisher;
import dev.cpr.backup.app.RpoIncidents;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import io.quarkus.hibernate.reactive.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The RPO guard's incidents through the outbox. The breach itself is held in memory (each replica judges it from the
 * catalog), so the event row is the only thing the transaction writes; a replica that finds the row already there
 * (another replica, or this one before a restart) adds none.
 */
@ApplicationScoped
public class RpoIncidentOutbox implements RpoIncidents {

    private static final Logger LOG = Logger.getLogger(RpoIncidentOutbox.class);

    private final BackupOutbox outbox;
    private final OutboxPublisher publisher;

    public RpoIncidentOutbox(BackupOutbox outbox, OutboxPublisher publisher) {
        this.outbox = outbox;
        this.publisher = publisher;
    }

    @Override
    public void opened(IncidentOpened incident) {
        boolean written = Catalog.await(() -> Panache.withTransaction(() -> outbox.incidentOpened(incident)));
        committed(written, incident.clusterId(), incident.incidentId(), "opened");
    }

    @Override
    public void resolved(IncidentResolved resolved) {
        boolean written = Catalog.await(() -> Panache.withTransaction(() -> outbox.incidentResolved(resolved)));
        committed(written, resolved.clusterId(), resolved.incidentId(), "resolved");
    }

    private void committed(boolean written, String clusterId, String incidentId, String what) {
        if (written) {
            publisher.wake();
        } else {
            LOG.infof("cluster %s incident %s: its %s event was already written (another replica, or before a restart)",
                    clusterId, incidentId, what);
        }
    }
}
