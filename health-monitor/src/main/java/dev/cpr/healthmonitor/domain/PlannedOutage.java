package dev.cpr.healthmonitor.domain;

import java.time.Instant;

/**
 * A plan of cpr's own that stops its cluster's members on purpose (a quorum or point-in-time restore, a rebuild from
 * a survivor) is running: what the etcd poll sees of the members meanwhile is the plan's doing, and the plan checks the
 * cluster itself before it ends.
 *
 * @param until the hold lapses then unless a later update of the plan renews it, so that a restore-service that died
 *              mid-plan does not silence the cluster for good
 */
public record PlannedOutage(String clusterId, String planId, String plan, Instant until) {

    public boolean holdsAt(Instant at) {
        return at.isBefore(until);
    }
}
