package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.Classification;
import dev.cpr.healthmonitor.domain.ClusterPoll;
import dev.cpr.healthmonitor.domain.ClusterProbe;
import dev.cpr.healthmonitor.domain.FailureClassifier;
import dev.cpr.healthmonitor.domain.IncidentDecision;
import dev.cpr.healthmonitor.domain.IncidentTracker;
import dev.cpr.healthmonitor.domain.MemberDropped;
import dev.cpr.healthmonitor.domain.MemberObservation;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * One poll of every cluster: probe (all members at once), classify, let the tracker decide, store
 * each decision with its event (one transaction), then wake the publisher. Clusters are handled independently as their probes
 * answer, so a slow cluster does not hold back another's incident.
 */
@ApplicationScoped
public class Monitor {

    private static final Logger LOG = Logger.getLogger(Monitor.class);

    private final Inventory inventory;
    private final ClusterProbe probe;
    private final IncidentRecords store;
    private final IncidentEvents events;
    private final StatusBoard board;
    private final MonitorMetrics metrics;
    private final VertxContexts contexts;
    private final Clock clock;
    private final FailureClassifier classifier;
    private final SlowChecks slowChecks;
    private final IncidentTracker tracker;
    private final ClusterOwnership ownership;
    private final MemberStreams streams;
    private final Duration settle;
    private volatile boolean restored;
    private Set<String> watched = Set.of();

    public Monitor(Inventory inventory, ClusterProbe probe, IncidentRecords store, IncidentEvents events,
            StatusBoard board, MonitorMetrics metrics, VertxContexts contexts, Clock clock, IncidentTracker tracker,
            SlowChecks slowChecks, MonitorConfig config, ClusterOwnership ownership, MemberStreams streams) {
        this.ownership = ownership;
        this.streams = streams;
        this.settle = config.streams().settle();
        this.slowChecks = slowChecks;
        this.classifier = new FailureClassifier(config.space().warnPercent(), config.certificate().warnWithin());
        this.inventory = inventory;
        this.probe = probe;
        this.store = store;
        this.events = events;
        this.board = board;
        this.metrics = metrics;
        this.contexts = contexts;
        this.clock = clock;
        this.tracker = tracker;
    }

    public Uni<Void> pollOnce() {
        List<ClusterSpec> owned = watchedClusters();
        return restoreOpenIncidents()
                .chain(() -> Multi.createFrom().iterable(owned)
                        .onItem().transformToUniAndMerge(this::pollCluster)
                        .collect().asList())
                .onFailure().recoverWithItem(e -> {
                    // e.g. the database is down while loading the open incidents: retried on the next poll
                    LOG.errorf("poll failed, retrying on the next poll: %s", e.toString());
                    return null;
                })
                .replaceWithVoid();
    }

    /**
     * The clusters this replica holds now. One it lost is forgotten by the tracker (its new owner decides for it);
     * for one it gained, the open incidents are read again first, so an incident the previous owner opened is taken
     * over, neither opened twice nor left unresolved.
     */
    private synchronized List<ClusterSpec> watchedClusters() {
        List<ClusterSpec> owned = inventory.clusters().stream().filter(c -> ownership.owns(c.id())).toList();
        Set<String> now = owned.stream().map(ClusterSpec::id).collect(Collectors.toSet());
        watched.stream().filter(id -> !now.contains(id)).forEach(tracker::forget);
        List<String> gained = now.stream().filter(id -> !watched.contains(id)).toList();
        if (!gained.isEmpty()) {
            gained.forEach(tracker::forget);
            restored = false;
        }
        watched = now;
        streams.follow(owned, this::onDrop);
        return owned;
    }

    /**
     * A member's connection dropped: its cluster is polled {@code settle} later (members failing together are then
     * seen together), and that poll may confirm the member gone. A member that stopped answering on an open
     * connection has already been waited for ({@code progress-timeout}): its cluster is polled at once, and that poll
     * waits its request timeout for the member anyway.
     */
    void onDrop(MemberDropped drop) {
        inventory.clusters().stream()
                .filter(c -> c.id().equals(drop.clusterId()) && ownership.owns(c.id()))
                .findFirst()
                .ifPresent(cluster -> {
                    metrics.memberDropped(drop);
                    afterSettling(drop)
                            .chain(this::restoreOpenIncidents)
                            .chain(() -> pollCluster(cluster, Optional.of(drop)))
                            .subscribe().with(ignored -> { }, e -> LOG.errorf("cluster=%s poll after %s's drop failed:"
                                    + " %s", drop.clusterId(), drop.member(), e.toString()));
                });
    }

    private Uni<Void> afterSettling(MemberDropped drop) {
        Uni<Void> now = Uni.createFrom().voidItem();
        return drop.unanswered() ? now : now.onItem().delayIt().by(settle);
    }

    /**
     * Once, before the first decision (and again when this replica takes a cluster over): incidents left open by a previous run are not opened twice. The BOSH poll
     * calls it too (one tracker for both polls).
     */
    Uni<Void> restoreOpenIncidents() {
        if (restored) {
            return Uni.createFrom().voidItem();
        }
        return contexts.onFreshContext(store::loadOpen)
                .invoke(open -> {
                    tracker.restore(open);
                    restored = true;
                    open.forEach(i -> LOG.infof("cluster=%s incident=%s %s still open from before the restart",
                            i.clusterId(), i.id(), i.failure()));
                })
                .replaceWithVoid();
    }

    private Uni<Void> pollCluster(ClusterSpec cluster) {
        return pollCluster(cluster, Optional.empty());
    }

    private Uni<Void> pollCluster(ClusterSpec cluster, Optional<MemberDropped> drop) {
        Instant started = clock.instant();
        return Uni.createFrom().completionStage(() -> probe.poll(cluster))
                .chain(poll -> {
                    metrics.polled(cluster.id(), Duration.between(started, clock.instant()));
                    return contexts.onFreshContext(() -> handle(poll, drop));
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.errorf(e, "cluster=%s poll not handled: %s", cluster.id(), e.getMessage());
                    return null;
                });
    }

    private Uni<Void> handle(ClusterPoll polled, Optional<MemberDropped> drop) {
        ClusterPoll poll = polled.withQuota(slowChecks.quotaBytes(polled.clusterId()));
        Map<String, Instant> certificateEnds = slowChecks.certificateEnds(poll.clusterId());
        Classification verdict = classifier.classify(poll, slowChecks.hashes(poll.clusterId()), certificateEnds);
        board.record(poll, verdict, certificateEnds);
        List<MemberHealth> members = poll.members().stream().map(MemberObservation::toHealth).toList();
        return applyAll(tracker.onPoll(verdict, members, poll.polledAt(), drop));
    }

    /** Stores each decision and its event in order; failures are logged and decided again later. */
    Uni<Void> applyAll(List<IncidentDecision> decisions) {
        if (decisions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(decisions)
                .onItem().transformToUniAndConcatenate(this::apply)
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> apply(IncidentDecision decision) {
        var incident = decision.incident();
        Uni<Void> stored;
        if (decision instanceof IncidentDecision.Open open) {
            stored = store.open(incident, open.members()).invoke(() -> {
                metrics.opened(incident.clusterId(), incident.failure()).increment();
                LOG.warnf("cluster=%s incident=%s opened %s: %s (first seen %s)", incident.clusterId(),
                        incident.id(), incident.failure(), incident.summary(), incident.firstSeenAt());
            });
        } else {
            IncidentDecision.Resolve resolve = (IncidentDecision.Resolve) decision;
            stored = store.resolve(incident.id(), resolve.resolvedAt()).invoke(() -> {
                metrics.resolved(incident.clusterId(), incident.failure()).increment();
                LOG.infof("cluster=%s incident=%s resolved %s", incident.clusterId(), incident.id(),
                        incident.failure());
            });
        }
        return stored
                .invoke(() -> {
                    tracker.applied(decision);
                    events.committed();
                })
                .onFailure().recoverWithItem(e -> {
                    // Not applied: the tracker decides it again on the next poll. Re-read the open
                    // incidents in case another writer stored one (the unique index refused ours).
                    restored = false;
                    tracker.discarded(decision);
                    LOG.errorf("cluster=%s incident=%s %s not stored, retrying on the next poll: %s",
                            incident.clusterId(), incident.id(), decision.getClass().getSimpleName(), e.toString());
                    return null;
                })
                .replaceWithVoid();
    }
}
