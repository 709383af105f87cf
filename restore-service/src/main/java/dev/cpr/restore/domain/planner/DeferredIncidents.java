package dev.cpr.restore.domain.planner;

import dev.cpr.contracts.incident.IncidentOpened;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Incidents that found their cluster busy with another plan (one plan at a time), kept so that they are planned
 * when that plan ends instead of being dropped: a quorum loss that opens while a member replace runs must still get
 * its restore once the replace has failed. The newest incident per cluster is kept (it carries the newest view of the
 * cluster); one that resolves meanwhile is forgotten. In memory: a restart or another replica ending the plan loses
 * it (see NOTES). Thread-safe.
 */
public final class DeferredIncidents {

    private final Map<String, IncidentOpened> byCluster = new HashMap<>();

    public synchronized void defer(IncidentOpened incident) {
        byCluster.put(incident.clusterId(), incident);
    }

    /** The incident resolved by itself: nothing is left to plan for it. */
    public synchronized void resolved(String clusterId, String incidentId) {
        IncidentOpened kept = byCluster.get(clusterId);
        if (kept != null && kept.incidentId().equals(incidentId)) {
            byCluster.remove(clusterId);
        }
    }

    /** The cluster's plan ended: the incident to plan now, if one waited. */
    public synchronized Optional<IncidentOpened> take(String clusterId) {
        return Optional.ofNullable(byCluster.remove(clusterId));
    }
}
