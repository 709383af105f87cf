package dev.cpr.healthmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.healthmonitor.app.ClusterLeases;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.healthmonitor.app.LeaseManager;
import dev.cpr.healthmonitor.app.MonitorMetrics;
import dev.cpr.healthmonitor.app.StatusBoard;
import dev.cpr.healthmonitor.app.VertxContexts;
import dev.cpr.healthmonitor.domain.IncidentTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.cpr.sandbox.testing.BoshDirectorResource;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two health-monitor replicas (two lease managers, two replica ids, each renewing every 2 s with 6 s leases, as the
 * defaults) on the real PostgreSQL share four clusters. The application's own replica takes no lease here
 * ({@code cpr.monitor.lease.enabled=false}), so only these two count as live.
 */
@QuarkusTest
@TestProfile(ClusterLeasesTest.OwnLeasesOff.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BoshDirectorResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class ClusterLeasesTest {

    /** The test's replicas are the only ones in the lease table. */
    public static class OwnLeasesOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cpr.monitor.lease.enabled", "false");
        }
    }

    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final long RENEW_MILLIS = 2000;

    @Inject
    ClusterLeases table;
    @Inject
    VertxContexts contexts;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> clusters = Stream.of("c1", "c2", "c3", "c4").map(c -> c + "-" + run).toList();
    private final ScheduledExecutorService ticks = Executors.newScheduledThreadPool(3);
    private final Map<LeaseManager, ScheduledFuture<?>> renewing = new ConcurrentHashMap<>();
    private final List<String> doubleOwners = new ArrayList<>();

    @AfterEach
    void stop() {
        ticks.shutdownNow();
    }

    private LeaseManager replica(String name) {
        return new LeaseManager(table, contexts, clusters, name + "-" + run, LEASE, Clock.systemUTC());
    }

    /** The replica renews every 2 s, as the scheduler would run it. */
    private void start(LeaseManager replica) {
        renewing.put(replica, ticks.scheduleWithFixedDelay(() -> replica.round().await().atMost(Duration.ofSeconds(5)),
                0, RENEW_MILLIS, TimeUnit.MILLISECONDS));
    }

    /** As kill -9: no renewal, no release; its leases run out. */
    private void kill(LeaseManager replica) {
        renewing.remove(replica).cancel(true);
    }

    /** Looks every 100 ms for a cluster that two replicas both count as theirs. */
    private void watchForDoubleOwners(LeaseManager a, LeaseManager b) {
        ticks.scheduleAtFixedRate(() -> {
            for (String cluster : clusters) {
                if (a.owns(cluster) && b.owns(cluster)) {
                    synchronized (doubleOwners) {
                        doubleOwners.add(cluster);
                    }
                }
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    @Test
    void twoReplicasSplitFourClustersTwoAndTwo() {
        LeaseManager a = replica("a");
        LeaseManager b = replica("b");
        watchForDoubleOwners(a, b);

        start(a);
        start(b);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(a.owned()).hasSize(2);
            assertThat(b.owned()).hasSize(2);
        });
        assertThat(union(a.owned(), b.owned())).containsExactlyInAnyOrderElementsOf(clusters);
        assertThat(doubleOwners).isEmpty();
    }

    @Test
    void theClustersOfAKilledReplicaAreTakenWithinTenSeconds() {
        LeaseManager a = replica("a");
        LeaseManager b = replica("b");
        start(a);
        start(b);
        await().atMost(Duration.ofSeconds(15)).until(() -> a.owned().size() == 2 && b.owned().size() == 2);

        kill(a);
        long killedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(10)).until(() -> b.owned().size() == 4);
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aReturningReplicaGetsItsShareBackAndNoClusterEverHasTwoOwners() {
        LeaseManager a = replica("a");
        LeaseManager b = replica("b");
        watchForDoubleOwners(a, b);
        start(a);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.owned().size() == 4);

        start(b);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(a.owned()).hasSize(2);
            assertThat(b.owned()).hasSize(2);
        });
        assertThat(union(a.owned(), b.owned())).containsExactlyInAnyOrderElementsOf(clusters);
        assertThat(doubleOwners).as("clusters two replicas counted as theirs at once").isEmpty();
    }

    @Test
    void aClustersGaugesComeFromItsOwnerOnlyAndMoveWithItsLease() {
        // given two replicas, each exporting its gauges after every lease round as the scheduler does
        LeaseManager a = replica("a");
        LeaseManager b = replica("b");
        MeterRegistry aRegistry = new SimpleMeterRegistry();
        MeterRegistry bRegistry = new SimpleMeterRegistry();
        MonitorMetrics aMetrics = metrics(aRegistry);
        MonitorMetrics bMetrics = metrics(bRegistry);
        start(a, aMetrics);
        start(b, bMetrics);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(gaugedClusters(aRegistry)).containsExactlyInAnyOrderElementsOf(a.owned()).hasSize(2);
            assertThat(gaugedClusters(bRegistry)).containsExactlyInAnyOrderElementsOf(b.owned()).hasSize(2);
        });
        Set<String> aHeld = a.owned();

        // when a's renewals fail (its database unreachable) while it goes on exporting after each failed round
        renewing.remove(a).cancel(true);
        renewing.put(a, ticks.scheduleWithFixedDelay(() -> aMetrics.export(a.owned()), 0, RENEW_MILLIS,
                TimeUnit.MILLISECONDS));

        // then a's gauges for its clusters go once its leases run out, and b exports all four, never both at once
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(gaugedClusters(aRegistry)).isEmpty();
            assertThat(gaugedClusters(bRegistry)).containsExactlyInAnyOrderElementsOf(clusters);
        });
        assertThat(aRegistry.find("cpr.monitor.incidents.opened").tag("cluster", aHeld.iterator().next())
                .counters()).as("counters stay, each replica's own").isNotEmpty();
    }

    private MonitorMetrics metrics(MeterRegistry registry) {
        List<ClusterSpec> specs = clusters.stream().map(id -> new ClusterSpec(id, ClusterKind.ETCD, null, null,
                List.of(new MemberSpec("etcd-1", "http://127.0.0.1:1", "http://127.0.0.1:2", "/tmp/etcd-1", null)),
                null)).toList();
        return new MonitorMetrics(registry, new Inventory(specs), new StatusBoard(),
                new IncidentTracker(1, () -> UUID.randomUUID().toString()), Clock.systemUTC());
    }

    /** The replica renews every 2 s and then exports the gauges of what it holds, as the scheduler runs it. */
    private void start(LeaseManager replica, MonitorMetrics metrics) {
        renewing.put(replica, ticks.scheduleWithFixedDelay(() -> {
            replica.round().await().atMost(Duration.ofSeconds(5));
            metrics.export(replica.owned());
        }, 0, RENEW_MILLIS, TimeUnit.MILLISECONDS));
    }

    /** The clusters whose gauges are in the replica's registry; the three gauges always go together. */
    private static Set<String> gaugedClusters(MeterRegistry registry) {
        List<Set<String>> byName = Stream.of("cpr.monitor.members", "cpr.monitor.members.healthy",
                "cpr.monitor.incident.open.age").map(name -> {
                    Set<String> gauged = new java.util.TreeSet<>();
                    registry.find(name).gauges().forEach(g -> gauged.add(g.getId().getTag("cluster")));
                    return gauged;
                }).toList();
        assertThat(byName).as("members, members.healthy, incident.open.age").containsOnly(byName.get(0));
        return byName.get(0);
    }

    private static Set<String> union(Set<String> one, Set<String> other) {
        Set<String> all = new java.util.TreeSet<>(one);
        all.addAll(other);
        return all;
    }
}
