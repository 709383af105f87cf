package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.platform.replica.ReplicaConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Which clusters this replica watches: those it holds a lease on ({@link LeaseManager}), or every cluster when
 * {@code cpr.monitor.lease.enabled=false}. The polls ask it before each cluster.
 */
@ApplicationScoped
public class ClusterOwnership {

    private static final Logger LOG = Logger.getLogger(ClusterOwnership.class);

    private final LeaseManager leases;
    private final Set<String> all;

    public ClusterOwnership(Inventory inventory, ClusterLeases table, VertxContexts contexts, Clock clock,
            MonitorConfig config, ReplicaConfig replica) {
        this.all = inventory.clusters().stream().map(ClusterSpec::id).collect(Collectors.toUnmodifiableSet());
        MonitorConfig.Lease lease = config.lease();
        if (!lease.enabled()) {
            this.leases = null;
            LOG.info("cluster leases off (cpr.monitor.lease.enabled=false): this replica watches every cluster");
            return;
        }
        this.leases = new LeaseManager(table, contexts, inventory.clusters().stream().map(ClusterSpec::id).toList(),
                replica.idOrRandom("health-monitor"), lease.duration(), clock);
        LOG.infof("replica=%s shares the clusters through leases of %s, renewed every %s", leases.replica(),
                lease.duration(), lease.renewInterval());
    }

    public boolean owns(String clusterId) {
        return leases == null || leases.owns(clusterId);
    }

    /** The clusters this replica watches now (every cluster when leases are off). */
    public Set<String> owned() {
        return leases == null ? all : leases.owned();
    }

    /** One lease round (the scheduler calls it every {@code cpr.monitor.lease.renew-interval}). */
    public Uni<Void> renew() {
        return leases == null ? Uni.createFrom().voidItem() : leases.round();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (leases == null) {
            return;
        }
        try {
            leases.releaseAll().await().atMost(Duration.ofSeconds(3));
        } catch (RuntimeException e) {
            LOG.warnf("replica=%s leases not given up at shutdown (%s): the others take them when they expire",
                    leases.replica(), e.toString());
        }
    }
}
