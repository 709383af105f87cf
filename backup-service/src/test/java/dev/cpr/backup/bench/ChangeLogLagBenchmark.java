package dev.cpr.backup.bench;

import dev.cpr.backup.adapters.etcd.InMemoryChangeLogCatalog;
import dev.cpr.backup.adapters.etcd.JetcdChangeFeed;
import dev.cpr.backup.adapters.store.LocalArtifactStore;
import dev.cpr.backup.app.ChangeLogCatalog;
import dev.cpr.backup.app.ChangeRecorder;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.support.BenchMachine;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Issue #14's lag: from a put committed on etcd to its revision being durable in the change log, at fixed write
 * rates, with backup-service's real recording path: {@link ChangeRecorder} watching through {@link JetcdChangeFeed}
 * (a real 3-member etcd over mutual TLS, as the world runs it), segments into the filesystem artifact store, the
 * catalog the in-memory one with PostgreSQL's rules ({@code ChangeRecorderOnEtcdTest} wires it the same way), or,
 * through {@link #run(Options, List)}, several catalogs side by side: {@code ChangeLogLagOnPostgresBenchmark} adds
 * the service's own PostgreSQL catalog, measured against the in-memory one in the same run.
 *
 * <p>Commit time: when the put's answer reaches the writer (its header revision noted). Durable time: when the
 * recorder reports a segment stored and cataloged whose last revision covers it. One recorder per rate, on one
 * cluster, so its CPU and heap are the cost of watching one cluster.
 *
 * <p>Arguments: {@code --rates 100,1000 --seconds 25 --value-bytes 256 --max-age-ms 500 --max-changes 1000
 * --dir target/bench} (the segment limits default to {@code cpr.changelog.*}'s defaults).
 */
public final class ChangeLogLagBenchmark {

    private static final String CLUSTER = "lag";

    private final EtcdCluster etcd;
    private final Path store;
    private final Options options;
    /** The threads the writer's answers arrive on: its client's pool grows with the rate, and is not the watcher. */
    private final Set<Long> writerThreads = ConcurrentHashMap.newKeySet();

    private ChangeLogLagBenchmark(EtcdCluster etcd, Path store, Options options) {
        this.etcd = etcd;
        this.store = store;
        this.options = options;
    }

    /** A catalog each segment is recorded in, named as its figures are printed; a fresh one per recorder. */
    record Catalog(String name, Supplier<ChangeLogCatalog> fresh) {
    }

    record Options(int[] rates, int seconds, int valueBytes, Duration maxAge, int maxChanges, Path dir) {

        static Options parse(String[] args) {
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                given.put(args[i], args[i + 1]);
            }
            return new Options(Arrays.stream(given.getOrDefault("--rates", "100,1000").split(","))
                    .mapToInt(Integer::parseInt).toArray(),
                    Integer.parseInt(given.getOrDefault("--seconds", "25")),
                    Integer.parseInt(given.getOrDefault("--value-bytes", "256")),
                    Duration.ofMillis(Long.parseLong(given.getOrDefault("--max-age-ms", "500"))),
                    Integer.parseInt(given.getOrDefault("--max-changes", "1000")),
                    Path.of(given.getOrDefault("--dir", "target/bench")).toAbsolutePath());
        }
    }

    /** One rate's figures. */
    record Result(String catalog, int rate, int writes, double p50Ms, double p99Ms, double maxMs, double answerP50Ms,
            double answerP99Ms, double recorderCpuCores,
            double heapBeforeMb, double heapDuringMb, int segments, String recorderThreads) {

        String json() {
            return String.format(Locale.ROOT, "{\"catalog\":\"%s\",\"rate\":%d,\"writes\":%d,\"lag_p50_ms\":%.1f,\"lag_p99_ms\":%.1f,"
                    + "\"lag_max_ms\":%.1f,\"lag_from_answer_p50_ms\":%.1f,\"lag_from_answer_p99_ms\":%.1f,\"p99_under_1s\":%b,\"recorder_cpu_cores\":%.3f,\"heap_before_mb\":%.1f,"
                    + "\"heap_during_mb\":%.1f,\"segments\":%d}", catalog, rate, writes, p50Ms, p99Ms, maxMs, answerP50Ms, answerP99Ms, p99Ms < 1000,
                    recorderCpuCores, heapBeforeMb, heapDuringMb, segments);
        }
    }

    public static void main(String[] args) throws Exception {
        run(Options.parse(args), List.of(new Catalog("in-memory", InMemoryChangeLogCatalog::new)));
    }

    /**
     * Starts the cluster, then for each rate measures a recorder with each catalog, one after the other, so that
     * their figures are taken on the same machine in the same minutes; with more than one catalog, prints each
     * one's p99 against the first's.
     */
    static List<Result> run(Options options, List<Catalog> catalogs) throws Exception {
        List<Result> results = new ArrayList<>();
        LocalEtcdMember.deleteRecursively(options.dir());
        Files.createDirectories(options.dir());
        String loadAtStart = BenchMachine.loadAverage();
        try (EtcdCluster etcd = EtcdCluster.startTls(options.dir().resolve("etcd"), CLUSTER, 3)) {
            System.out.printf(Locale.ROOT, "%s; etcd %s, 3 members over mutual TLS; load average at start %s%n",
                    BenchMachine.describe(), etcd.version(), loadAtStart);
            System.out.printf(Locale.ROOT, "segments close at %d changes or %d ms after their first; %d s per rate, "
                    + "values of %d bytes%n", options.maxChanges(), options.maxAge().toMillis(), options.seconds(),
                    options.valueBytes());
            ChangeLogLagBenchmark bench = new ChangeLogLagBenchmark(etcd, options.dir().resolve("store"), options);
            for (int rate : options.rates()) {
                List<Result> atRate = new ArrayList<>();
                for (Catalog catalog : catalogs) {
                    Result result = bench.measure(rate, catalog);
                    print(result);
                    atRate.add(result);
                }
                printRatios(atRate);
                results.addAll(atRate);
            }
        } finally {
            System.out.printf("load average at end %s%n", BenchMachine.loadAverage());
            LocalEtcdMember.deleteRecursively(options.dir());
        }
        return results;
    }

    /**
     * One recorder from the cluster's current revision, a writer at {@code rate} puts/s, then every lag. The recorder
     * records under a cluster id of its own: a catalog that outlives the run (PostgreSQL) keeps each id's position.
     */
    private Result measure(int rate, Catalog catalog) throws Exception {
        Durable durable = new Durable();
        write(rate, 1); // the writer's client warm, its threads started: not counted as the recorder's
        double heapBefore = BenchMachine.heapUsedAfterGcMb();
        Set<Long> threadsBefore = threadIds();
        ClusterSpec cluster = etcd.spec();
        ClusterSpec recorded = new ClusterSpec(CLUSTER + "-" + catalog.name() + "-" + rate + "-"
                + System.currentTimeMillis(), cluster.kind(), cluster.token(), cluster.tls(), cluster.members(), null);
        ChangeRecorder recorder = new ChangeRecorder(recorded, new JetcdChangeFeed(Clock.systemUTC()),
                new LocalArtifactStore(store), catalog.fresh().get(),
                new ChangeRecorder.Limits(options.maxChanges(), options.maxAge()), Clock.systemUTC(), durable);
        try {
            recorder.start(etcd.revision());
            Map<Long, Long> recorderCpuAtStart = threadCpu(threadsBefore, writerThreads);
            long cpuStart = System.nanoTime();
            Map<Long, Commit> commits = write(rate, options.seconds());
            durable.awaitRevision(commits.keySet().stream().mapToLong(Long::longValue).max().orElseThrow(), recorder);
            long wallNanos = System.nanoTime() - cpuStart;
            Map<Long, Long> recorderCpu = threadCpu(threadsBefore, writerThreads);
            double cores = cpuSpent(recorderCpuAtStart, recorderCpu) / (double) wallNanos;
            double heapDuring = BenchMachine.heapUsedAfterGcMb();
            double[] lags = durable.lagsMs(commits, Commit::sentNanos);
            double[] fromAnswer = durable.lagsMs(commits, Commit::answeredNanos);
            return new Result(catalog.name(), rate, commits.size(), percentile(lags, 50), percentile(lags, 99), lags[lags.length - 1],
                    percentile(fromAnswer, 50), percentile(fromAnswer, 99), cores, heapBefore, heapDuring,
                    durable.segments.size(), threadNames(recorderCpu.keySet()));
        } finally {
            recorder.stop();
        }
    }

    /**
     * Puts at a fixed rate for {@code seconds}: every 10 ms as many as are owed by the time elapsed, each answered
     * asynchronously. Returns each put's revision with the nano times it was sent and its answer arrived.
     */
    private Map<Long, Commit> write(int rate, int seconds) throws Exception {
        KV kv = etcd.client().getKVClient();
        ByteSequence value = ByteSequence.from(new byte[options.valueBytes()]);
        Map<Long, Commit> commits = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> answers = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long issued = 0;
        while (System.nanoTime() < end) {
            long owed = (System.nanoTime() - start) * rate / 1_000_000_000L;
            for (; issued < owed; issued++) {
                ByteSequence key = ByteSequence.from(String.format("/lag/%d/%04d", rate, issued % 1000),
                        StandardCharsets.UTF_8);
                long sent = System.nanoTime();
                answers.add(kv.put(key, value).thenAccept(put -> {
                    commits.put(put.getHeader().getRevision(), new Commit(sent, System.nanoTime()));
                    writerThreads.add(Thread.currentThread().getId());
                }));
            }
            Thread.sleep(10);
        }
        for (var answer : answers) {
            answer.get(30, TimeUnit.SECONDS);
        }
        return commits;
    }

    /**
     * When a put was sent and when its answer arrived: etcd committed it in between, so a lag measured from the
     * first is an upper bound and from the second a lower bound (on these loaded cores the answer can arrive
     * seconds late, after the revision is durable already).
     */
    record Commit(long sentNanos, long answeredNanos) {
    }

    /** The recorder's own reports: each stored segment's last revision and when it was stored and cataloged. */
    private static final class Durable implements ChangeRecorder.Outcomes {

        private final ConcurrentSkipListMap<Long, Long> storedAt = new ConcurrentSkipListMap<>();
        private final List<StoredSegment> segments = new CopyOnWriteArrayList<>();

        @Override
        public void stored(StoredSegment segment) {
            storedAt.putIfAbsent(segment.segment().lastRevision(), System.nanoTime());
            segments.add(segment);
        }

        @Override
        public void compacted(String clusterId, long compactRevision) {
            throw new IllegalStateException("the benchmark's cluster was compacted to " + compactRevision);
        }

        @Override
        public void broke(String clusterId, String what) {
            System.out.println("recorder broke: " + what);
        }

        void awaitRevision(long revision, ChangeRecorder recorder) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (storedAt.isEmpty() || storedAt.lastKey() < revision) {
                if (recorder.state() != ChangeRecorder.State.RECORDING || System.nanoTime() > deadline) {
                    throw new IllegalStateException("revision " + revision + " not durable; recorder "
                            + recorder.state() + ", durable to " + (storedAt.isEmpty() ? "nothing" : storedAt.lastKey()));
                }
                Thread.sleep(20);
            }
        }

        /**
         * Each put's lag in ms, sorted: from {@code from} of its commit to the storing of the first segment whose
         * last revision is at or after the put's.
         */
        double[] lagsMs(Map<Long, Commit> commits, java.util.function.ToLongFunction<Commit> from) {
            return commits.entrySet().stream()
                    .mapToDouble(c -> (storedAt.ceilingEntry(c.getKey()).getValue() - from.applyAsLong(c.getValue()))
                            / 1e6)
                    .sorted().toArray();
        }
    }

    private static Set<Long> threadIds() {
        return Arrays.stream(ManagementFactory.getThreadMXBean().getAllThreadIds()).boxed().collect(Collectors.toSet());
    }

    /**
     * CPU nanos of each live thread started since {@code before}, but the writer's: the recorder's own thread and
     * its jetcd client's event loop (its watch answers arrive there). The writer's client grows its executor
     * ({@code jetcd-pool-<client>-thread-<n>}) with the rate, and the recorder's client has shown no pool thread,
     * so every jetcd pool thread is counted as the writer's.
     */
    private static Map<Long, Long> threadCpu(Set<Long> before, Set<Long> writer) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            var info = threads.getThreadInfo(id);
            boolean writers = writer.contains(id) || info != null && info.getThreadName().startsWith("jetcd-pool-");
            if (!before.contains(id) && !writers && nanos >= 0) {
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }

    private static String pool(String threadName) {
        return threadName.replaceAll("\\d+$", "N");
    }

    private static long cpuSpent(Map<Long, Long> start, Map<Long, Long> end) {
        return end.entrySet().stream().mapToLong(e -> e.getValue() - start.getOrDefault(e.getKey(), 0L)).sum();
    }

    private static String threadNames(Set<Long> ids) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return ids.stream().map(id -> threads.getThreadInfo(id)).filter(Objects::nonNull)
                .map(t -> pool(t.getThreadName())).sorted()
                .collect(Collectors.groupingBy(n -> n, TreeMap::new, Collectors.counting()))
                .entrySet().stream().map(e -> e.getValue() + "x " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static double percentile(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void printRatios(List<Result> atRate) {
        Result first = atRate.get(0);
        for (Result other : atRate.subList(1, atRate.size())) {
            System.out.printf(Locale.ROOT, "%d writes/s: p50 %s / %s = %.2f, p99 %s / %s = %.2f%n", first.rate(),
                    other.catalog(), first.catalog(), other.p50Ms() / first.p50Ms(), other.catalog(), first.catalog(),
                    other.p99Ms() / first.p99Ms());
        }
    }

    private static void print(Result r) {
        System.out.printf(Locale.ROOT, "[%s catalog] %d writes/s: %d puts; lag put sent -> durable p50 %.0f ms, p99 %.0f ms, max %.0f ms "
                + "(p99 %s 1 s); from the put's answer p50 %.0f ms, p99 %.0f ms; %d segments%n", r.catalog(), r.rate(), r.writes(),
                r.p50Ms(), r.p99Ms(), r.maxMs(), r.p99Ms() < 1000 ? "under" : "NOT under", r.answerP50Ms(),
                r.answerP99Ms(), r.segments());
        System.out.printf(Locale.ROOT, "  watcher: %.3f cores (threads started with the recorder: %s); heap after GC "
                + "%.1f MB before, %.1f MB while recording (+%.1f MB)%n", r.recorderCpuCores(), r.recorderThreads(),
                r.heapBeforeMb(), r.heapDuringMb(), r.heapDuringMb() - r.heapBeforeMb());
        System.out.println(r.json());
    }
}
