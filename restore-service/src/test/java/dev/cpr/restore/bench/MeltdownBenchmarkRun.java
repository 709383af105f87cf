package dev.cpr.restore.bench;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.restore.adapters.persistence.PanachePlanStore;
import dev.cpr.restore.adapters.persistence.PlanRepository;
import dev.cpr.restore.app.Recoveries;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.it.BackupServiceStandIn;
import dev.cpr.restore.it.ReplicaBuilder;
import dev.cpr.sandbox.testing.EtcdResource;
import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The body of {@link MeltdownBenchmark}: the service booted as its tests boot it (real PostgreSQL, Kafka, the
 * sandbox's etcd for its own inventory, the backup-service stand-in), with {@code cpr.restore.meltdown.min-down=2}
 * (min-percent at its default, 20 %) so that a 5-member cluster losing two members is a meltdown.
 *
 * <p>An inventory made for the benchmark: {@code cpr.bench.clusters} (50) plain etcd clusters of 5 members that
 * nothing answers for (no node access, so the planner never surveys them) and the default policy (a member replace
 * runs by itself). All fail at once: {@code cpr.bench.meltdown-clusters} (40) lose two members, the others one. Every
 * incident is handed to every one of {@code cpr.bench.replicas} (2) replicas at the same moment (a redelivery to a
 * second replica after a rebalance, the worst case), each replica a {@link Recoveries} of its own over the same
 * database, as a restart builds it, each consuming in order on one thread, as the Kafka consumer does.
 *
 * <p>The fleet guard (across clusters) runs at the service's defaults (3 clusters and 20 % being recovered at once):
 * once the first clusters have plans, the rest of a burst is held for a person whatever its members.
 *
 * <p>Printed: plans per cluster (read back from PostgreSQL), their modes (held for a person vs automatic) and the
 * guards' reasons, the time from the burst to every cluster decided, each planning call's time (p50, max),
 * and the heap in use after a full GC before and after. The automatic plans are launched by the service's runner as
 * in production; what they do after (they fail: nothing stands behind their members) is not measured.
 */
@QuarkusTest
@TestProfile(MeltdownBenchmarkRun.GuardAtTwoMembers.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(EtcdResource.class)
@WithTestResource(BackupServiceStandIn.class)
public class MeltdownBenchmarkRun {

    /** A 5-member cluster losing two members (40 %) trips the guard; losing one does not (below min-down). */
    public static final class GuardAtTwoMembers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cpr.restore.meltdown.min-down", "2");
        }
    }

    /** The inventory made for the benchmark and one incident per cluster, all opened at the same instant. */
    record Fleet(Inventory inventory, List<IncidentOpened> incidents) {
    }

    /** One replica's planning of one incident. */
    record Call(String clusterId, int replica, long startedNanos, long endedNanos) {
        long millis() {
            return (endedNanos - startedNanos) / 1_000_000;
        }
    }

    /** What the database holds for one cluster after the burst. */
    record Outcome(String clusterId, boolean meltdown, List<RecoveryPlan> plans) {
    }

    private final List<String> report = new ArrayList<>();

    @Inject
    RestoreConfig config;
    @Inject
    ReplicaBuilder replicas;
    @Inject
    PlanRepository plans;

    @Test
    void clustersFailingAtOnce() throws Exception {
        int clusters = Integer.getInteger("cpr.bench.clusters", 50);
        int meltdownClusters = Integer.getInteger("cpr.bench.meltdown-clusters", 40);
        int replicas = Integer.getInteger("cpr.bench.replicas", 2);
        Fleet fleet = fleet(clusters, meltdownClusters);
        printSetting(clusters, meltdownClusters, replicas);
        double heapBefore = heapAfterGcMb();
        long burstStarted = System.nanoTime();
        List<Call> calls = burst(fleet, replicas);
        double heapAfter = heapAfterGcMb();
        List<Outcome> outcomes = outcomes(fleet, meltdownClusters);
        printOutcomes(outcomes);
        printTimes(calls, burstStarted, heapBefore, heapAfter);
        line("load average (1 min) at the end %.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        // one block at the end: the service's own log lines (every plan, the runner) come in between otherwise
        System.out.println("=== MeltdownBenchmark ===");
        report.forEach(System.out::println);
    }

    private void line(String format, Object... args) {
        report.add(String.format(Locale.ROOT, format, args));
    }

    // the fleet

    private static Fleet fleet(int clusters, int meltdownClusters) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<ClusterSpec> specs = new ArrayList<>();
        List<IncidentOpened> incidents = new ArrayList<>();
        for (int i = 0; i < clusters; i++) {
            ClusterSpec cluster = cluster(String.format(Locale.ROOT, "bench-%s-%02d", run, i));
            List<String> failed = i < meltdownClusters ? List.of("etcd-1", "etcd-2") : List.of("etcd-1");
            specs.add(cluster);
            incidents.add(new IncidentOpened("inc-" + UUID.randomUUID(), cluster.id(), FailureKind.MEMBER_UNHEALTHY,
                    failed, List.of(), failed + " unhealthy", now, now));
        }
        return new Fleet(new Inventory(specs), incidents);
    }

    /** Five members nothing answers for, no node access (never surveyed), the default policy. */
    private static ClusterSpec cluster(String id) {
        List<MemberSpec> members = IntStream.rangeClosed(1, 5)
                .mapToObj(m -> new MemberSpec("etcd-" + m, "http://127.0.0.1:1", "http://127.0.0.1:1", "/nowhere",
                        null))
                .toList();
        return new ClusterSpec(id, ClusterKind.ETCD, null, null, members, null);
    }

    // the burst

    /** A replica as a (re)start builds it: its own objects over the same database. */
    private Recoveries replica(Inventory inventory) {
        return replicas.replica(inventory);
    }

    /** Every replica plans every incident, in order on a thread of its own, all starting together. */
    private List<Call> burst(Fleet fleet, int replicas) throws InterruptedException {
        List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> consumers = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            Recoveries replica = replica(fleet.inventory());
            int number = r;
            Thread consumer = new Thread(() -> {
                awaitQuietly(go);
                for (IncidentOpened incident : fleet.incidents()) {
                    long callStarted = System.nanoTime();
                    replica.plan("[cluster=" + incident.clusterId() + " incident=" + incident.incidentId()
                            + " replica=" + number + "]", incident);
                    calls.add(new Call(incident.clusterId(), number, callStarted, System.nanoTime()));
                }
            }, "bench-replica-" + r);
            consumer.start();
            consumers.add(consumer);
        }
        go.countDown();
        for (Thread consumer : consumers) {
            consumer.join();
        }
        return List.copyOf(calls);
    }

    private static void awaitQuietly(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // what happened

    private List<Outcome> outcomes(Fleet fleet, int meltdownClusters) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < fleet.incidents().size(); i++) {
            String cluster = fleet.incidents().get(i).clusterId();
            outcomes.add(new Outcome(cluster, i < meltdownClusters,
                    PanachePlanStore.await(() -> plans.list(Optional.of(cluster), 10))));
        }
        return outcomes;
    }

    private void printSetting(int clusters, int meltdownClusters, int replicas) {
        line("java %s, %d cpus, load average (1 min) %.1f; meltdown guard: min-down %d, min-percent %d",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), config.meltdown().minDown(),
                config.meltdown().minPercent());
        line("%d clusters of 5 members fail at once: %d lose 2 members, %d lose 1; every incident planned by %d "
                + "replicas at the same moment", clusters, meltdownClusters, clusters - meltdownClusters, replicas);
    }

    private void printOutcomes(List<Outcome> outcomes) {
        long atMostOne = outcomes.stream().filter(o -> o.plans().size() <= 1).count();
        long none = outcomes.stream().filter(o -> o.plans().isEmpty()).count();
        int maxPlans = outcomes.stream().mapToInt(o -> o.plans().size()).max().orElse(0);
        line("plans per cluster: at most one on %d of %d clusters (max %d; %d with none)", atMostOne,
                outcomes.size(), maxPlans, none);
        printGroup("2 of 5 down (meltdown)", outcomes.stream().filter(Outcome::meltdown).toList());
        printGroup("1 of 5 down", outcomes.stream().filter(o -> !o.meltdown()).toList());
    }

    private void printGroup(String label, List<Outcome> group) {
        List<RecoveryPlan> planned = group.stream().flatMap(o -> o.plans().stream()).toList();
        long held = planned.stream().filter(p -> p.mode() != RecoveryMode.AUTO).count();
        long automatic = planned.stream().filter(p -> p.mode() == RecoveryMode.AUTO).count();
        long guarded = planned.stream().filter(p -> p.message().startsWith("meltdown guard")).count();
        long fleetGuarded = planned.stream().filter(p -> p.message().startsWith("fleet meltdown guard")).count();
        line("  %-24s %2d clusters: %2d plans held for a person (%d by the meltdown guard, %d by the fleet guard), "
                + "%2d automatic", label, group.size(), held, guarded, fleetGuarded, automatic);
        planned.stream().filter(p -> p.message().startsWith("fleet meltdown guard")).findFirst()
                .ifPresent(p -> line("    fleet guard e.g. %s %s %s: %s", p.plan(), p.mode(), p.state(), p.message()));
        planned.stream().findFirst().ifPresent(p -> line("    e.g. %s %s %s: %s", p.plan(), p.mode(), p.state(),
                p.message()));
    }

    /**
     * A cluster is decided when the first of its planning calls returns (that one stored the plan, or found it stored
     * by the other replica a moment before); each replica works through the incidents in order, so a decision's time
     * since the burst includes waiting behind the incidents before it.
     */
    private void printTimes(List<Call> calls, long burstStarted, double heapBefore, double heapAfter) {
        List<Call> decisions = calls.stream()
                .collect(Collectors.groupingBy(Call::clusterId,
                        Collectors.minBy(Comparator.comparingLong(Call::endedNanos))))
                .values().stream().flatMap(Optional::stream).toList();
        long[] sinceBurst = decisions.stream().mapToLong(c -> (c.endedNanos() - burstStarted) / 1_000_000)
                .sorted().toArray();
        long[] decisionMs = decisions.stream().mapToLong(Call::millis).sorted().toArray();
        long[] callMs = calls.stream().mapToLong(Call::millis).sorted().toArray();
        long lastCall = calls.stream().mapToLong(Call::endedNanos).max().orElse(burstStarted) - burstStarted;
        line("burst -> all %d clusters decided: %d ms (a cluster: p50 %d ms after the burst); the last planning call "
                + "returned at %d ms", decisions.size(), sinceBurst[sinceBurst.length - 1],
                sinceBurst[sinceBurst.length / 2], lastCall / 1_000_000);
        line("per decision (its planning call): p50 %d ms, max %d ms; every call (%d, redeliveries included): p50 %d "
                + "ms, max %d ms", decisionMs[decisionMs.length / 2], decisionMs[decisionMs.length - 1], callMs.length,
                callMs[callMs.length / 2], callMs[callMs.length - 1]);
        line("heap after GC: %.1f MB before the burst, %.1f MB after", heapBefore, heapAfter);
    }

    private static double heapAfterGcMb() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0;
    }
}
