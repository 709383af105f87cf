package dev.cpr.restore.app;

import dev.cpr.contracts.incident.IncidentOpened;
import java.util.List;
import java.util.Optional;

/**
 * Incidents that found their cluster busy with another plan (one plan per cluster), kept durably so that they are
 * planned when that plan ends, on whichever replica ends it, and after a restart: a quorum loss that opens while a
 * member replace runs must still get its restore once the replace has failed. One per cluster, the newest (it
 * carries the newest view of the cluster). An incident is deferred by {@link PlanRecords#create(
 * dev.cpr.restore.domain.plan.RecoveryPlan, IncidentOpened)} in the transaction that found the cluster busy, and
 * stops waiting in the one that stores its plan.
 */
public interface DeferredIncidentStore {

    /** The incident waiting for this cluster's active plan to end, if one waits. */
    Optional<IncidentOpened> waiting(String clusterId);

    /** Every waiting incident, oldest first: what a starting replica looks at. */
    List<IncidentOpened> all();

    /** The incident resolved by itself, or needs no plan any more: it stops waiting (if it is the waiting one). */
    void forget(String clusterId, String incidentId);
}
