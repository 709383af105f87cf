package dev.cpr.backup.app;

import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;

/**
 * Reports backup-service's own incidents (an RPO breach) on {@code cpr.incidents}: each is committed as an outbox row
 * and sent after the commit, so it survives a Kafka outage or a restart. Blocking.
 */
public interface RpoIncidents {

    void opened(IncidentOpened incident);

    void resolved(IncidentResolved resolved);
}
