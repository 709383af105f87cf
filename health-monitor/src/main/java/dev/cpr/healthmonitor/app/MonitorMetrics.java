package dev.cpr.healthmonitor.app;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import dev.cpr.healthmonitor.domain.IncidentTracker;
import dev.cpr.healthmonitor.domain.MemberDropped;
import dev.cpr.healthmonitor.domain.OpenIncident;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * health-monitor's meters on {@code /q/metrics}: {@code cpr_monitor_members_healthy{cluster}},
 * {@code cpr_monitor_members{cluster}}, {@code cpr_monitor_incidents_opened_total{cluster,failure}},
 * {@code cpr_monitor_incidents_resolved_total{cluster,failure}}, {@code cpr_monitor_poll_seconds{cluster}},
 * {@code cpr_monitor_member_drops_total{cluster,member,signal}} (a member stream that ended or went quiet),
 * {@code cpr_monitor_incident_open_age_seconds{cluster}} (age of the cluster's oldest open incident, 0 when none: the
 * "incident open too long" alert needs the age, which the two counters cannot give after a restart).
 */
@ApplicationScoped
public class MonitorMetrics {

    private final MeterRegistry registry;

    public MonitorMetrics(MeterRegistry registry, Inventory inventory, StatusBoard board, IncidentTracker tracker,
            Clock clock) {
        this.registry = registry;
        for (ClusterSpec cluster : inventory.clusters()) {
            Gauge.builder("cpr.monitor.incident.open.age", tracker,
                            t -> oldestOpenAgeSeconds(t.openIncidents(), cluster.id(), clock.instant()))
                    .description("Age of the cluster's oldest open incident (first seen to now), 0 when none is open")
                    .baseUnit("seconds")
                    .tag("cluster", cluster.id())
                    .register(registry);
            Gauge.builder("cpr.monitor.members.healthy", board,
                            b -> b.latest(cluster.id()).map(l -> (double) l.poll().healthyCount()).orElse(Double.NaN))
                    .description("Members whose /health answered true on the last poll")
                    .tag("cluster", cluster.id())
                    .register(registry);
            Gauge.builder("cpr.monitor.members", cluster, c -> c.members().size())
                    .description("Members in the inventory")
                    .tag("cluster", cluster.id())
                    .register(registry);
            for (FailureKind failure : FailureKind.values()) {
                // registered at zero so that rate() and alerts see the series before the first incident
                opened(cluster.id(), failure).increment(0);
                resolved(cluster.id(), failure).increment(0);
            }
        }
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
