package dev.cpr.healthmonitor.app;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Map;

/** The lease table the health-monitor replicas share the clusters through. Call on a Vert.x context. */
public interface ClusterLeases {

    /** This replica is alive until {@code until}. */
    Uni<Void> heartbeat(String replica, Instant until);

    /** Replicas whose heartbeat has not expired at {@code now}. */
    Uni<Integer> liveReplicas(Instant now);

    /** Extends the leases this replica still holds at {@code now} (an expired one may be another's already). */
    Uni<Integer> renew(String replica, Instant now, Instant until);

    /** The unexpired leases at {@code now}: cluster id to owner. */
    Uni<Map<String, String>> owners(Instant now);

    /**
     * Takes the cluster for this replica if nobody holds it or its lease expired before {@code now}, in one statement;
     * false if another replica holds it.
     */
    Uni<Boolean> claim(String cluster, String replica, Instant now, Instant until);

    /** Gives the cluster up, if this replica holds it. */
    Uni<Void> release(String cluster, String replica);

    /** Gives every lease and the heartbeat of this replica up (a clean shutdown). */
    Uni<Void> releaseAll(String replica);
}
