package dev.cpr.healthmonitor.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.healthmonitor.adapters.etcd.EtcdHttpProbe;
import dev.cpr.healthmonitor.adapters.etcd.EtcdWatchStreams;
import dev.cpr.healthmonitor.config.MonitorConfig;
import dev.cpr.healthmonitor.domain.Classification;
import dev.cpr.healthmonitor.domain.ClusterPoll;
import dev.cpr.healthmonitor.domain.FailureClassifier;
import dev.cpr.healthmonitor.domain.IncidentTracker;
import dev.cpr.healthmonitor.domain.MemberObservation;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * How health-monitor's cost grows with the members it watches (issue #15; not a test, a {@code main} that prints its
 * figures). For each size it watches one real 3-member etcd plus stand-ins for the rest ({@link EtcdGatewayStandIns},
 * in a process of their own), in clusters of {@code --cluster-size}, the way the service does: a watch stream per
 * member ({@link EtcdWatchStreams}) and, every {@code --interval}, one poll of every cluster at once
 * ({@link EtcdHttpProbe}: health, status, member list, alarms per member) classified and tracked in the domain. It
 * prints the poll cycle's wall time (median and max), this process's CPU over the whole measurement (streams
 * included) in cores, and the heap in use after a full GC. See BENCHMARKS.md for how to run it.
 */
public final class MonitorScaleBenchmark {

    static final int FIRST_STAND_IN_PORT = 31_000;
    /** The columns of {@link #measure}'s line. */
    static final String HEADER = "members  clusters  streams  cycle_p50_ms  cycle_max_ms  cpu_cores  heap_after_gc_mb";

    private MonitorScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream(option(args, "--members", "10,100,1000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int clusterSize = Integer.parseInt(option(args, "--cluster-size", "5"));
        int cycles = Integer.parseInt(option(args, "--cycles", "15"));
        Duration interval = Duration.parse("PT" + option(args, "--interval", "2s"));
        Path dir = Path.of(option(args, "--dir", "target/bench")).toAbsolutePath();
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "java %s, max heap %d MB, %d cpus; %d cycles every %d ms per size%n",
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(), cycles, interval.toMillis());
        System.out.println(HEADER);
        List<String> json = new ArrayList<>();
        try (EtcdCluster real = EtcdCluster.start(dir.resolve("etcd-" + UUID.randomUUID()), "real", 3)) {
            try {
                for (int size : sizes) {
                    json.add(measure(real, size, clusterSize, cycles, interval));
                }
            } finally {
                real.close();
                real.deleteData();
            }
        }
        System.out.println("[" + String.join(",", json) + "]");
        System.exit(0);
    }

    static String measure(EtcdCluster real, int members, int clusterSize, int cycles, Duration interval)
            throws Exception {
        int standIns = Math.max(0, members - real.members().size());
        Process standInProcess = startStandIns(standIns, clusterSize, FIRST_STAND_IN_PORT);
        Vertx vertx = Vertx.vertx();
        try {
            List<ClusterSpec> clusters = new ArrayList<>();
            clusters.add(real.spec());
            clusters.addAll(standInClusters(standIns, clusterSize, FIRST_STAND_IN_PORT));
            MonitorConfig config = config();
            EtcdHttpProbe probe = new EtcdHttpProbe(vertx, Clock.systemUTC(), config);
            EtcdWatchStreams streams = new EtcdWatchStreams(vertx, Clock.systemUTC(), config);
            FailureClassifier classifier = new FailureClassifier();
            IncidentTracker tracker = new IncidentTracker(2, () -> UUID.randomUUID().toString());
            streams.follow(clusters, drop -> System.out.println("unexpected drop: " + drop));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (streams.established() < members && System.nanoTime() < deadline) {
                Thread.sleep(50); // a benchmark's wait for its set-up, not a test's
            }
            for (int warmUp = 0; warmUp < 2; warmUp++) {
                cycle(probe, classifier, tracker, clusters);
            }
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuStart = os.getProcessCpuTime();
            long wallStart = System.nanoTime();
            long[] cycleMs = new long[cycles];
            int unhealthy = 0;
            for (int i = 0; i < cycles; i++) {
                long started = System.nanoTime();
                unhealthy += cycle(probe, classifier, tracker, clusters);
                cycleMs[i] = (System.nanoTime() - started) / 1_000_000;
                long rest = interval.toNanos() - (System.nanoTime() - started);
                if (rest > 0) {
                    Thread.sleep(rest / 1_000_000);
                }
            }
            double cores = (os.getProcessCpuTime() - cpuStart) / (double) (System.nanoTime() - wallStart);
            double heapMb = heapAfterGcMb();
            long[] sorted = cycleMs.clone();
            Arrays.sort(sorted);
            long established = streams.established();
            System.out.printf(Locale.ROOT, "%7d  %8d  %7d  %12d  %12d  %9.3f  %16.1f%s%n", members, clusters.size(),
                    established, sorted[sorted.length / 2], sorted[sorted.length - 1], cores, heapMb,
                    unhealthy == 0 ? "" : "  (" + unhealthy + " unhealthy member observations!)");
            streams.follow(List.of(), drop -> { });
            return String.format(Locale.ROOT, "{\"members\":%d,\"clusters\":%d,\"streams\":%d,\"cycle_p50_ms\":%d,"
                    + "\"cycle_max_ms\":%d,\"cpu_cores\":%.3f,\"heap_after_gc_mb\":%.1f,\"unhealthy_observations\":%d}",
                    members, clusters.size(), established, sorted[sorted.length / 2], sorted[sorted.length - 1], cores,
                    heapMb, unhealthy);
        } finally {
            vertx.closeAndAwait();
            if (standInProcess != null) {
                standInProcess.destroyForcibly().waitFor();
            }
        }
    }

    /** The stand-ins' clusters, as {@link EtcdGatewayStandIns} groups them: consecutive ports from {@code firstPort}. */
    static List<ClusterSpec> standInClusters(int count, int clusterSize, int firstPort) {
        List<ClusterSpec> clusters = new ArrayList<>();
        for (int first = 0; first < count; first += clusterSize) {
            List<MemberSpec> group = new ArrayList<>();
            for (int m = first; m < Math.min(count, first + clusterSize); m++) {
                group.add(new MemberSpec("m" + m, "http://127.0.0.1:" + (firstPort + m), "http://127.0.0.1:1",
                        "/nowhere", null));
            }
            clusters.add(new ClusterSpec("stand-ins-" + first / clusterSize, ClusterKind.ETCD, null, null, group,
                    null));
        }
        return clusters;
    }

    /** The heap in use after a full GC, in MB. */
    static double heapAfterGcMb() {
        System.gc();
        return (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0;
    }

    /** One poll of every cluster at once, each classified and tracked: the unhealthy member observations. */
    static int cycle(EtcdHttpProbe probe, FailureClassifier classifier, IncidentTracker tracker,
            List<ClusterSpec> clusters) {
        List<Uni<ClusterPoll>> polls = clusters.stream().map(probe::pollUni).toList();
        List<ClusterPoll> answered = Uni.join().all(polls).andFailFast().await().atMost(Duration.ofSeconds(30));
        int unhealthy = 0;
        for (ClusterPoll poll : answered) {
            Classification verdict = classifier.classify(poll);
            tracker.onPoll(verdict, poll.members().stream().map(MemberObservation::toHealth).toList(),
                    poll.polledAt());
            unhealthy += (int) poll.members().stream().filter(m -> !m.healthy()).count();
        }
        return unhealthy;
    }

    static Process startStandIns(int count, int clusterSize, int firstPort) throws Exception {
        return startStandIns(count, clusterSize, firstPort, 0);
    }

    /** Stand-ins for members {@code firstMember ..} (ports from {@code firstPort + firstMember}). */
    static Process startStandIns(int count, int clusterSize, int firstPort, int firstMember) throws Exception {
        if (count == 0) {
            return null;
        }
        Process process = startJava("-Xmx512m", EtcdGatewayStandIns.class, Integer.toString(count),
                Integer.toString(clusterSize), Integer.toString(firstPort + firstMember),
                Integer.toString(firstMember));
        awaitLine(process, "ready"::equals, "the stand-ins");
        return process;
    }

    /** Starts a {@code main} of this test classpath in a JVM of its own, its output merged into one stream. */
    static Process startJava(String maxHeap, Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                maxHeap, "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /**
     * Reads the process's output until a line matches, once per process; that line. Of the lines before, warnings and
     * errors are shown with {@code what} before them, the rest dropped.
     */
    static String awaitLine(Process process, Predicate<String> wanted, String what) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (wanted.test(line)) {
                return line;
            }
            if (line.startsWith("SEVERE") || line.startsWith("WARN") || line.contains("Exception")
                    || line.startsWith("\tat dev.cpr")) {
                System.out.println("  [" + what + "] " + line);
            }
        }
        throw new IllegalStateException(what + " exited before answering (exit " + process.waitFor() + ")");
    }

    static MonitorConfig config() {
        MonitorConfig.Streams streams = (MonitorConfig.Streams) Proxy.newProxyInstance(
                MonitorScaleBenchmark.class.getClassLoader(), new Class<?>[] {MonitorConfig.Streams.class},
                (p, m, a) -> switch (m.getName()) {
                    case "enabled" -> true;
                    case "reconnectInterval" -> Duration.ofSeconds(1);
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (MonitorConfig) Proxy.newProxyInstance(MonitorScaleBenchmark.class.getClassLoader(),
                new Class<?>[] {MonitorConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "requestTimeout" -> Duration.ofSeconds(1);
                    case "streams" -> streams;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
