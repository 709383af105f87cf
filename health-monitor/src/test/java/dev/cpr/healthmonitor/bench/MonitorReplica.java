package dev.cpr.healthmonitor.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.healthmonitor.adapters.etcd.EtcdHttpProbe;
import dev.cpr.healthmonitor.adapters.etcd.EtcdWatchStreams;
import dev.cpr.healthmonitor.app.LeaseManager;
import dev.cpr.healthmonitor.app.VertxContexts;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.FailureClassifier;
import dev.cpr.healthmonitor.domain.IncidentTracker;
import dev.cpr.sandbox.postgres.PostgresServer;
import io.smallrye.mutiny.TimeoutException;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One health-monitor replica of {@link MonitorReplicasBenchmark}, in a JVM of its own so that its CPU and heap are its
 * own: the service's {@link LeaseManager} (6 s leases, a round every interval, as the defaults) over
 * {@code ClusterLeaseTable}'s statements ({@link PgClusterLeases}) on the shared PostgreSQL, and the monitor's classes
 * of {@link MonitorScaleBenchmark} (a stream per member, a poll of every cluster each interval) on the clusters it owns
 * only, as {@code ClusterOwnership} filters them in the service.
 *
 * <p>It first waits until its share is settled (the expected replicas live and its own clusters unchanged for three
 * rounds), then measures {@code cycles} cycles and prints one line {@code result {json}}: its owned clusters, every
 * cluster it owned at any moment of the measurement, the poll cycle's wall time (median, max; the lease round before
 * it is timed apart), its CPU in cores, its heap after a full GC. Then it keeps renewing its leases until the benchmark ends it, so that no share moves while the
 * others still measure.
 *
 * <p>{@code java ... MonitorReplica <id> <pg port> <members> <cluster size> <first port> <cycles> <interval ms>
 * <replicas>}
 */
public final class MonitorReplica {

    private static final Duration LEASE = Duration.ofSeconds(6);

    private final String id;
    private final LeaseManager leases;
    private final List<ClusterSpec> clusters;
    private final EtcdHttpProbe probe;
    private final EtcdWatchStreams streams;
    private final FailureClassifier classifier = new FailureClassifier();
    private final IncidentTracker tracker = new IncidentTracker(2, () -> UUID.randomUUID().toString());
    private final Duration interval;
    private int slowRounds;

    private MonitorReplica(String id, LeaseManager leases, List<ClusterSpec> clusters, Vertx vertx,
            Duration interval) {
        this.id = id;
        this.leases = leases;
        this.clusters = clusters;
        MonitorConfig config = MonitorScaleBenchmark.config();
        this.probe = new EtcdHttpProbe(vertx, Clock.systemUTC(), config);
        this.streams = new EtcdWatchStreams(vertx, Clock.systemUTC(), config);
        this.interval = interval;
    }

    public static void main(String[] args) throws Exception {
        String id = args[0];
        int pgPort = Integer.parseInt(args[1]);
        List<ClusterSpec> clusters = MonitorScaleBenchmark.standInClusters(Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        int cycles = Integer.parseInt(args[5]);
        Duration interval = Duration.ofMillis(Long.parseLong(args[6]));
        int replicas = Integer.parseInt(args[7]);
        Vertx vertx = Vertx.vertx();
        Pool pool = pool(vertx, pgPort);
        LeaseManager leases = new LeaseManager(new PgClusterLeases(pool),
                new VertxContexts(vertx.getDelegate()), clusters.stream().map(ClusterSpec::id).toList(), id, LEASE,
                Clock.systemUTC());
        MonitorReplica replica = new MonitorReplica(id, leases, clusters, vertx, interval);
        awaitTheOthers(new PgClusterLeases(pool), id, replicas);
        replica.settle(replicas);
        System.out.println("result " + replica.measure(cycles));
        System.out.flush();
        replica.renewUntilEnded();
    }

    private static Pool pool(Vertx vertx, int port) {
        PgConnectOptions connect = new PgConnectOptions().setHost("127.0.0.1").setPort(port)
                .setDatabase(PostgresServer.DATABASE).setUser(PostgresServer.USERNAME)
                .setPassword(PostgresServer.PASSWORD);
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(connect)
                .using(vertx.getDelegate()).build();
    }

    /**
     * Heartbeats until every replica's heartbeat is there, before the first lease round: the benchmark measures
     * replicas that run side by side, not the start of the first one, which alone would take every cluster (3,000
     * members' connections) until the others arrive.
     */
    private static void awaitTheOthers(PgClusterLeases table, String id, int replicas) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int live = 0;
        while (live < replicas && System.nanoTime() < deadline) {
            Instant now = Instant.now();
            table.heartbeat(id, now.plus(LEASE)).await().atMost(Duration.ofSeconds(10));
            live = table.liveReplicas(now).await().atMost(Duration.ofSeconds(10));
            Thread.sleep(500); // a benchmark's wait for its set-up
        }
    }

    /** Rounds (each followed by a poll) until the replicas are all live and this one's share stayed put 3 rounds. */
    private void settle(int replicas) throws InterruptedException {
        Set<String> before = Set.of();
        int unchanged = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (unchanged < 3 && System.nanoTime() < deadline) {
            long started = System.nanoTime();
            Set<String> owned = round();
            boolean fair = Math.abs(owned.size() - clusters.size() / (double) replicas) < 1;
            unchanged = owned.equals(before) && fair ? unchanged + 1 : 0;
            before = owned;
            poll(owned);
            pause(started);
        }
    }

    /** One lease round, the streams following what this replica owns now; the owned clusters. */
    private Set<String> round() {
        try {
            leases.round().await().atMost(Duration.ofSeconds(10));
        } catch (TimeoutException e) {
            // as a round that failed in the service: the leases held run out on their own clock; counted
            slowRounds++;
        }
        Set<String> owned = leases.owned();
        streams.follow(clusters.stream().filter(c -> owned.contains(c.id())).toList(), drop -> { });
        return owned;
    }

    /** One poll of the owned clusters (those still owned at the moment of the poll); the unhealthy observations. */
    private int poll(Set<String> owned) {
        List<ClusterSpec> watched = clusters.stream().filter(c -> owned.contains(c.id()) && leases.owns(c.id()))
                .toList();
        return watched.isEmpty() ? 0 : MonitorScaleBenchmark.cycle(probe, classifier, tracker, watched);
    }

    private String measure(int cycles) throws InterruptedException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long wallStart = System.nanoTime();
        long[] roundMs = new long[cycles];
        long[] cycleMs = new long[cycles];
        Set<String> everOwned = new TreeSet<>();
        int unhealthy = 0;
        Set<String> owned = Set.of();
        for (int i = 0; i < cycles; i++) {
            long started = System.nanoTime();
            owned = round();
            everOwned.addAll(owned);
            long polled = System.nanoTime();
            unhealthy += poll(owned);
            roundMs[i] = (polled - started) / 1_000_000;
            cycleMs[i] = (System.nanoTime() - polled) / 1_000_000;
            pause(started);
        }
        double cores = (os.getProcessCpuTime() - cpuStart) / (double) (System.nanoTime() - wallStart);
        Arrays.sort(roundMs);
        Arrays.sort(cycleMs);
        return String.format(Locale.ROOT, "{\"replica\":\"%s\",\"owned\":%d,\"streams\":%d,\"cycle_p50_ms\":%d,"
                        + "\"cycle_max_ms\":%d,\"lease_round_p50_ms\":%d,\"lease_round_max_ms\":%d,\"cpu_cores\":%.3f,"
                        + "\"heap_after_gc_mb\":%.1f,\"unhealthy_observations\":%d,\"owned_clusters\":\"%s\","
                        + "\"ever_owned\":\"%s\",\"lease_rounds_over_10s\":%d}", id, owned.size(), streams.established(), cycleMs[cycles / 2],
                cycleMs[cycles - 1], roundMs[cycles / 2], roundMs[cycles - 1], cores,
                MonitorScaleBenchmark.heapAfterGcMb(), unhealthy, String.join(",", owned), String.join(",", everOwned),
                slowRounds);
    }

    private void renewUntilEnded() throws InterruptedException {
        while (true) {
            long started = System.nanoTime();
            round();
            pause(started);
        }
    }

    private void pause(long startedNanos) throws InterruptedException {
        long rest = interval.toNanos() - (System.nanoTime() - startedNanos);
        if (rest > 0) {
            Thread.sleep(rest / 1_000_000); // the cycle's period, as the scheduler keeps it
        }
    }
}
