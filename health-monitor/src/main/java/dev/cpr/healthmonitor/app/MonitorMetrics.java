package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import dev.cpr.healthmonitor.domain.IncidentTracker;
import dev.cpr.healthmonitor.domain.MemberDropped;
import dev.cpr.healthmonitor.domain.OpenIncident;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * health-monitor's meters on {@code /q/metrics}: {@code cpr_monitor_members_healthy{cluster}},
 * {@code cpr_monitor_members{cluster}}, {@code cpr_monitor_incidents_opened_total{cluster,failure}},
 * {@code cpr_monitor_incidents_resolved_total{cluster,failure}}, {@code cpr_monitor_poll_seconds{cluster}},
 * {@code cpr_monitor_member_drops_total{cluster,member,signal}} (a member stream that ended or went quiet),
 * {@code cpr_monitor_incident_open_age_seconds{cluster}} (age of the cluster's oldest open incident, 0 when none: the
 * "incident open too long" alert needs the age, which the two counters cannot give after a restart). The three
 * gauges come only from the replica that watches the cluster ({@link #export}).
 */
@ApplicationScoped
public class MonitorMetrics {

    private final MeterRegistry registry;
    private final Map<String, ClusterSpec> clusters = new LinkedHashMap<>();
    private final StatusBoard board;
    private final IncidentTracker tracker;
    private final Clock clock;
    /** The gauges this replica exports now, by cluster: only those of the clusters it watches. */
    private final Map<String, List<Meter>> exported = new HashMap<>();

    public MonitorMetrics(MeterRegistry registry, Inventory inventory, StatusBoard board, IncidentTracker tracker,
            Clock clock) {
        this.registry = registry;
        this.board = board;
        this.tracker = tracker;
        this.clock = clock;
        for (ClusterSpec cluster : inventory.clusters()) {
            clusters.put(cluster.id(), cluster);
            for (FailureKind failure : FailureKind.values()) {
                // registered at zero so that rate() and alerts see the series before the first incident
                opened(cluster.id(), failure).increment(0);
                resolved(cluster.id(), failure).increment(0);
            }
        }
    }

    /**
     * The per-cluster gauges follow the clusters this replica watches (called after every lease round): a cluster's
     * gauges are added when it is taken and removed from the registry when it is given up or its lease ran out, so
     * that Prometheus sees each cluster's gauges from its one watching replica only, never a stale value from a
     * replica that watched it earlier. The counters stay: each replica counts what it saw, and the rules sum them.
     */
    public synchronized void export(Set<String> owned) {
        List<String> lost = exported.keySet().stream().filter(id -> !owned.contains(id)).toList();
        for (String id : lost) {
            exported.remove(id).forEach(registry::remove);
        }
        owned.stream().filter(clusters::containsKey).filter(id -> !exported.containsKey(id))
                .forEach(id -> exported.put(id, gauges(clusters.get(id))));
    }

    /** The clusters whose gauges this replica exports now. */
    public synchronized Set<String> exported() {
        return Set.copyOf(exported.keySet());
    }

    private List<Meter> gauges(ClusterSpec cluster) {
        return List.of(
                Gauge.builder("cpr.monitor.incident.open.age", tracker,
                                t -> oldestOpenAgeSeconds(t.openIncidents(), cluster.id(), clock.instant()))
                        .description("Age of the cluster's oldest open incident (first seen to now), 0 when none is open")
                        .baseUnit("seconds")
                        .tag("cluster", cluster.id())
                        .register(registry),
                Gauge.builder("cpr.monitor.members.healthy", board,
                                b -> b.latest(cluster.id()).map(l -> (double) l.poll().healthyCount())
                                        .orElse(Double.NaN))
                        .description("Members whose /health answered true on the last poll")
                        .tag("cluster", cluster.id())
                        .register(registry),
                Gauge.builder("cpr.monitor.members", cluster, c -> c.members().size())
                        .description("Members in the inventory")
                        .tag("cluster", cluster.id())
                        .register(registry));
    }

    public Counter opened(String clusterId, FailureKind failure) {
        return Counter.builder("cpr.monitor.incidents.opened").description("Incidents opened")
                .tag("cluster", clusterId).tag("failure", failure.name()).register(registry);
    }

    public Counter resolved(String clusterId, FailureKind failure) {
        return Counter.builder("cpr.monitor.incidents.resolved").description("Incidents resolved")
                .tag("cluster", clusterId).tag("failure", failure.name()).register(registry);
    }

    static double oldestOpenAgeSeconds(List<OpenIncident> open, String clusterId, Instant now) {
        return open.stream().filter(i -> i.clusterId().equals(clusterId))
                .map(i -> Duration.between(i.firstSeenAt(), now).toMillis() / 1000.0)
                .max(Double::compare).orElse(0.0);
    }

    /**
     * A member's stream ended ({@code signal="ended"}) or stopped answering ({@code signal="unanswered"}): counted
     * whether or not the poll that follows confirms a failure, so that a member dropping often shows even when it
     * comes back each time.
     */
    public void memberDropped(MemberDropped drop) {
        Counter.builder("cpr.monitor.member.drops")
                .description("Member streams that ended or stopped answering, each followed by a confirming poll")
                .tag("cluster", drop.clusterId()).tag("member", drop.member())
                .tag("signal", drop.unanswered() ? "unanswered" : "ended")
                .register(registry).increment();
    }

    public void polled(String clusterId, Duration took) {
        Timer.builder("cpr.monitor.poll").description("Time to poll every member of a cluster")
                .tag("cluster", clusterId).register(registry).record(took);
    }
}
