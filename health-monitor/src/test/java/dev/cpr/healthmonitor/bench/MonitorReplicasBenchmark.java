package dev.cpr.healthmonitor.bench;

import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.postgres.PostgresServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.flywaydb.core.Flyway;

/**
 * Three health-monitor replicas sharing 3,000 members, side by side with one replica watching 1,000 (issue #15; not a
 * test, a {@code main} that prints its figures). First the one replica, as {@link MonitorScaleBenchmark} measures it
 * (one real 3-member etcd and stand-ins, clusters of 5). Then one real PostgreSQL (the sandbox's zonky server,
 * health-monitor's Flyway migrations), {@link EtcdGatewayStandIns} for {@code --shared-members} members in clusters
 * of {@code --shared-cluster-size}, and {@code --replicas} {@link MonitorReplica} processes sharing them through the
 * lease table. Prints each replica's owned clusters, poll cycle (median, max), lease round, CPU and heap, and whether
 * any cluster was owned by two replicas during the measurement. See BENCHMARKS.md for how to run it.
 */
public final class MonitorReplicasBenchmark {

    /**
     * Above Linux's ephemeral range (32768-60999), so that no client connection holds a stand-in's port, and above
     * 10000-32767, where the sandbox's servers (of other builds on the machine too) take free ports at random.
     */
    private static final int FIRST_SHARED_PORT = 61_000;

    private MonitorReplicasBenchmark() {
    }

    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1); // the monitors' Vert.x threads would keep this JVM alive
        }
    }

    private static void run(String[] args) throws Exception {
        int single = Integer.parseInt(MonitorScaleBenchmark.option(args, "--single-members", "1000"));
        int shared = Integer.parseInt(MonitorScaleBenchmark.option(args, "--shared-members", "3000"));
        int sharedClusterSize = Integer.parseInt(MonitorScaleBenchmark.option(args, "--shared-cluster-size", "10"));
        int replicas = Integer.parseInt(MonitorScaleBenchmark.option(args, "--replicas", "3"));
        int cycles = Integer.parseInt(MonitorScaleBenchmark.option(args, "--cycles", "15"));
        Duration interval = Duration.parse("PT" + MonitorScaleBenchmark.option(args, "--interval", "2s"));
        Path dir = Path.of(MonitorScaleBenchmark.option(args, "--dir", "target/bench")).toAbsolutePath();
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "java %s, max heap %d MB, %d cpus, load average %s; %d cycles every %d ms%n",
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(), loadAverages(), cycles, interval.toMillis());
        String one = oneReplica(dir, single, cycles, interval);
        List<JsonObject> shares = sharedReplicas(dir, shared, sharedClusterSize, replicas, cycles, interval);
        printShares(shares, shared / sharedClusterSize);
        shares.forEach(share -> {
            share.remove("owned_clusters");
            share.remove("ever_owned");
        });
        System.out.printf(Locale.ROOT, "load average at the end %s%n", loadAverages());
        System.out.println("{\"one_replica\":" + one + ",\"replicas\":" + shares + "}");
    }

    private static String oneReplica(Path dir, int members, int cycles, Duration interval) throws Exception {
        System.out.printf(Locale.ROOT, "one replica, %d members (3 real etcd, the rest stand-ins), clusters of 5:%n",
                members);
        System.out.println(MonitorScaleBenchmark.HEADER);
        try (EtcdCluster real = EtcdCluster.start(dir.resolve("etcd-" + UUID.randomUUID()), "real", 3)) {
            try {
                return MonitorScaleBenchmark.measure(real, members, 5, cycles, interval);
            } finally {
                real.close();
                real.deleteData();
            }
        }
    }

    private static List<JsonObject> sharedReplicas(Path dir, int members, int clusterSize, int replicas, int cycles,
            Duration interval) throws Exception {
        System.out.printf(Locale.ROOT, "%d replicas sharing %d members (stand-ins), %d clusters of %d, through leases "
                + "on one PostgreSQL:%n", replicas, members, members / clusterSize, clusterSize);
        try (PostgresServer postgres = PostgresServer.start(dir.resolve("postgres-" + UUID.randomUUID()))) {
            migrate(postgres);
            List<Process> processes = new ArrayList<>();
            List<Process> standIns = standIns(members, clusterSize, replicas);
            try {
                for (int r = 0; r < replicas; r++) {
                    processes.add(MonitorScaleBenchmark.startJava("-Xmx256m", MonitorReplica.class,
                            "replica-" + (char) ('a' + r), Integer.toString(postgres.port()), Integer.toString(members),
                            Integer.toString(clusterSize), Integer.toString(FIRST_SHARED_PORT),
                            Integer.toString(cycles), Long.toString(interval.toMillis()), Integer.toString(replicas)));
                }
                return results(processes);
            } finally {
                processes.forEach(MonitorReplicasBenchmark::end);
                standIns.forEach(MonitorReplicasBenchmark::end);
            }
        }
    }

    /**
     * One stand-ins process per replica's share of the members: each process holds the server end of every connection
     * to its members (a stream and up to 8 pooled poll connections each), more than one process's open-file limit for
     * 3,000 members on a loaded machine.
     */
    private static List<Process> standIns(int members, int clusterSize, int processes) throws Exception {
        int perProcess = (members / processes + clusterSize - 1) / clusterSize * clusterSize;
        List<Process> started = new ArrayList<>();
        for (int first = 0; first < members; first += perProcess) {
            started.add(MonitorScaleBenchmark.startStandIns(Math.min(perProcess, members - first), clusterSize,
                    FIRST_SHARED_PORT, first));
        }
        return started;
    }

    /** health-monitor's own migrations, as Quarkus runs them at start. */
    private static void migrate(PostgresServer postgres) {
        Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.username(), PostgresServer.PASSWORD)
                .schemas("health_monitor").createSchemas(true).locations("classpath:db/migration")
                .load().migrate();
    }

    /** Every replica's {@code result} line, waited for at once (each settles and measures on its own). */
    private static List<JsonObject> results(List<Process> processes) {
        // each replica's result is read on a thread of its own, so a slow one does not hold up the others' pipes
        List<CompletableFuture<JsonObject>> results = processes.stream()
                .map(process -> CompletableFuture.supplyAsync(() -> result(process)))
                .toList();
        return results.stream().map(CompletableFuture::join).toList();
    }

    private static JsonObject result(Process process) {
        try {
            String line = MonitorScaleBenchmark.awaitLine(process, l -> l.startsWith("result "), "replica");
            return new JsonObject(line.substring("result ".length()));
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void printShares(List<JsonObject> shares, int clusters) {
        System.out.println("replica    owned  streams  cycle_p50_ms  cycle_max_ms  lease_round_p50/max_ms  cpu_cores  "
                + "heap_after_gc_mb");
        for (JsonObject share : shares) {
            System.out.printf(Locale.ROOT, "%-9s  %5d  %7d  %12d  %12d  %14d / %5d  %9.3f  %16.1f%s%n",
                    share.getString("replica"), share.getInteger("owned"), share.getLong("streams"),
                    share.getLong("cycle_p50_ms"), share.getLong("cycle_max_ms"), share.getLong("lease_round_p50_ms"),
                    share.getLong("lease_round_max_ms"), share.getDouble("cpu_cores"),
                    share.getDouble("heap_after_gc_mb"), share.getInteger("unhealthy_observations") == 0 ? ""
                            : "  (" + share.getInteger("unhealthy_observations") + " unhealthy member observations!)");
        }
        System.out.printf(Locale.ROOT, "together: %.3f cores, %.1f MB heap after GC%n",
                shares.stream().mapToDouble(s -> s.getDouble("cpu_cores")).sum(),
                shares.stream().mapToDouble(s -> s.getDouble("heap_after_gc_mb")).sum());
        printOverlap(shares, clusters);
    }

    /** Whether any cluster was owned by two replicas at any moment of their measurements, and whether all are. */
    private static void printOverlap(List<JsonObject> shares, int clusters) {
        Set<String> seen = new HashSet<>();
        Set<String> twice = new HashSet<>();
        for (JsonObject share : shares) {
            for (String cluster : clusters(share.getString("ever_owned"))) {
                if (!seen.add(cluster)) {
                    twice.add(cluster);
                }
            }
        }
        Set<String> nowOwned = new HashSet<>();
        shares.forEach(share -> nowOwned.addAll(clusters(share.getString("owned_clusters"))));
        System.out.printf(Locale.ROOT, "clusters owned by two replicas during the measurement: %d %s; owned at the "
                + "end: %d of %d%n", twice.size(), twice.isEmpty() ? "" : twice, nowOwned.size(), clusters);
    }

    private static List<String> clusters(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static String loadAverages() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void end(Process process) {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
