package dev.cpr.healthmonitor.app;

import dev.cpr.healthmonitor.domain.lease.FairShare;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One replica's leases on the clusters it watches. Each {@link #round()}: its heartbeat, its leases renewed, then
 * {@link FairShare} decides which free clusters it takes and which it gives up. A cluster counts as this replica's
 * only until the lease it last wrote expires, read on this replica's own clock from a time taken before the write: a
 * replica whose renewals fail (database gone, process frozen) stops watching no later than the others may take over.
 */
public final class LeaseManager {

    private static final Logger LOG = Logger.getLogger(LeaseManager.class);

    private final ClusterLeases leases;
    private final VertxContexts contexts;
    private final List<String> clusters;
    private final String replica;
    private final Duration lease;
    private final Clock clock;
    private final Map<String, Instant> held = new ConcurrentHashMap<>();

    public LeaseManager(ClusterLeases leases, VertxContexts contexts, List<String> clusters, String replica,
            Duration lease, Clock clock) {
        this.leases = leases;
        this.contexts = contexts;
        this.clusters = List.copyOf(clusters);
        this.replica = replica;
        this.lease = lease;
        this.clock = clock;
    }

    public String replica() {
        return replica;
    }

    /** True while this replica's lease on the cluster lasts. */
    public boolean owns(String cluster) {
        Instant until = held.get(cluster);
        return until != null && clock.instant().isBefore(until);
    }

    /** The clusters this replica watches now. */
    public Set<String> owned() {
        Set<String> owned = new TreeSet<>();
        clusters.stream().filter(this::owns).forEach(owned::add);
        return owned;
    }

    /** One round: heartbeat, renew, take free clusters up to the fair share, give a surplus up. */
    public Uni<Void> round() {
        Instant now = clock.instant();
        Instant until = now.plus(lease);
        return contexts.onFreshContext(() -> leases.heartbeat(replica, until)
                        .chain(() -> leases.renew(replica, now, until))
                        .chain(() -> leases.owners(now))
                        .chain(owners -> leases.liveReplicas(now).chain(live -> rebalance(owners, live, now, until))))
                .onFailure().recoverWithItem(e -> {
                    LOG.errorf("replica=%s lease round failed, retried next round (held leases run out at their "
                            + "own time): %s", replica, e.toString());
                    return null;
                });
    }

    private Uni<Void> rebalance(Map<String, String> owners, int live, Instant now, Instant until) {
        held.keySet().removeIf(cluster -> !replica.equals(owners.get(cluster)));
        owners.forEach((cluster, owner) -> {
            if (replica.equals(owner) && clusters.contains(cluster)) {
                held.put(cluster, until);
            }
        });
        FairShare.Moves moves = FairShare.decide(clusters, owners, replica, live);
        // given up here first, so this replica stops watching before another can take the cluster
        moves.release().forEach(held::remove);
        return Multi.createFrom().iterable(moves.release())
                .onItem().transformToUniAndConcatenate(cluster -> leases.release(cluster, replica)
                        .invoke(() -> LOG.infof("replica=%s cluster=%s given up: over the fair share of %d live "
                                + "replicas", replica, cluster, live)))
                .collect().last()
                .chain(() -> Multi.createFrom().iterable(moves.claim())
                        .onItem().transformToUniAndConcatenate(cluster -> leases.claim(cluster, replica, now, until)
                                .invoke(taken -> {
                                    if (taken) {
                                        held.put(cluster, until);
                                        LOG.infof("replica=%s cluster=%s taken: now watched here", replica, cluster);
                                    }
                                }))
                        .collect().last())
                .replaceWithVoid();
    }

    /** A clean stop: every lease and the heartbeat given up, so the others take the clusters at once. */
    public Uni<Void> releaseAll() {
        held.clear();
        return contexts.onFreshContext(() -> leases.releaseAll(replica));
    }
}
