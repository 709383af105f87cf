package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.IncidentTracker;
import dev.cpr.healthmonitor.domain.bosh.BoshClassifier;
import dev.cpr.healthmonitor.domain.bosh.BoshObservation;
import dev.cpr.healthmonitor.domain.bosh.BoshVerdict;
import dev.cpr.kernel.MeltdownGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * One BOSH poll of every {@code kind: bosh} cluster: ask the director (off the event loop, bounded by
 * {@code cpr.monitor.bosh.poll-timeout}), classify per instance of the cluster's instance group with the meltdown
 * guard, let the shared tracker decide, store and publish like the etcd poll. It runs on its own schedule, so a
 * slow or hanging director never delays the etcd poll of the same cluster (whose MEMBER_UNHEALTHY / QUORUM_LOST
 * still apply to the masters' members).
 */
@ApplicationScoped
public class BoshMonitor {

    private static final Logger LOG = Logger.getLogger(BoshMonitor.class);

    private final List<ClusterSpec> clusters;
    private final Map<String, BoshClassifier> classifiers;
    private final BoshProbe probe;
    private final Monitor monitor;
    private final IncidentTracker tracker;
    private final StatusBoard board;
    private final VertxContexts contexts;
    private final ClusterOwnership ownership;

    public BoshMonitor(Inventory inventory, BoshProbe probe, Monitor monitor, IncidentTracker tracker,
            StatusBoard board, VertxContexts contexts, MonitorConfig config, ClusterOwnership ownership) {
        this.ownership = ownership;
        this.clusters = inventory.clusters().stream()
                .filter(c -> c.kind() == ClusterKind.BOSH && c.bosh() != null).toList();
        MeltdownGuard guard = new MeltdownGuard(config.bosh().meltdown().minInstances(),
                config.bosh().meltdown().minPercent());
        this.classifiers = clusters.stream().collect(Collectors.toMap(ClusterSpec::id,
                c -> new BoshClassifier(c.bosh().instanceGroupOrDefault(), guard)));
        this.probe = probe;
        this.monitor = monitor;
        this.tracker = tracker;
        this.board = board;
        this.contexts = contexts;
        clusters.forEach(c -> LOG.infof("cluster=%s BOSH director %s, deployment %s, instance group %s, meltdown at %s",
                c.id(), c.bosh().directorUrl(), c.bosh().deployment(), c.bosh().instanceGroupOrDefault(), guard));
    }

    public boolean hasBoshClusters() {
        return !clusters.isEmpty();
    }

    public Uni<Void> pollOnce() {
        if (clusters.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return monitor.restoreOpenIncidents()
                .chain(() -> Multi.createFrom().iterable(clusters.stream().filter(c -> ownership.owns(c.id())).toList())
                        .onItem().transformToUniAndMerge(this::pollCluster)
                        .collect().asList())
                .onFailure().recoverWithItem(e -> {
                    LOG.errorf("BOSH poll failed, retrying on the next poll: %s", e.toString());
                    return null;
                })
                .replaceWithVoid();
    }

    private Uni<Void> pollCluster(ClusterSpec cluster) {
        return probe.poll(cluster)
                .chain(seen -> contexts.onFreshContext(() -> handle(seen)))
                .onFailure().recoverWithItem(e -> {
                    LOG.errorf(e, "cluster=%s BOSH poll not handled: %s", cluster.id(), e.getMessage());
                    return null;
                });
    }

    private Uni<Void> handle(BoshObservation seen) {
        BoshVerdict verdict = classifiers.get(seen.clusterId()).classify(seen);
        board.recordBosh(seen, verdict);
        return monitor.applyAll(tracker.onBoshPoll(verdict, seen.polledAt()));
    }
}
