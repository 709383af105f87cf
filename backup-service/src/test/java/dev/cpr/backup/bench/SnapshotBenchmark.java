package dev.cpr.backup.bench;

import dev.cpr.backup.adapters.etcd.JetcdSnapshotSource;
import dev.cpr.backup.adapters.store.LocalArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.backup.domain.snapshot.SnapshotTaker;
import dev.cpr.backup.domain.snapshot.TakenSnapshot;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Side-by-side snapshot benchmark (not a test): fills a one-member sandbox etcd to at least {@code --size-mb}
 * (default 512) MB, then alternates {@code etcdctl snapshot save} and backup-service's streaming snapshot
 * ({@link SnapshotTaker} + {@link JetcdSnapshotSource}, uncompressed, with its trailing-hash check, sha256 and
 * fsync + rename) from the same member, {@code --rounds} (default 3) times each, and prints throughput, the
 * ratio of medians, and the heap used while backup-service streams. Run it with {@code -Xmx64m} (see BENCHMARKS.md).
 */
public final class SnapshotBenchmark {

    private static final int VALUE_BYTES = 64 * 1024;
    private static final int PUTS_PER_TXN = 16;
    private static final int IN_FLIGHT = 4;

    private SnapshotBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long sizeMb = Long.parseLong(option(args, "--size-mb", "512"));
        int rounds = Integer.parseInt(option(args, "--rounds", "3"));
        Path dir = Path.of(option(args, "--dir", "target/bench")).toAbsolutePath();
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "java %s, max heap %d MB, %d cpus%n", System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), Runtime.getRuntime().availableProcessors());

        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), "bench", 1)) {
            try {
                run(etcd, sizeMb, rounds, dir);
            } finally {
                etcd.close();
                etcd.deleteData();
            }
        }
    }

    private static void run(EtcdCluster etcd, long sizeMb, int rounds, Path dir) throws Exception {
        MemberSpec member = etcd.members().get(0);
        fill(etcd, sizeMb * 1024 * 1024);

        JetcdSnapshotSource source = new JetcdSnapshotSource(Duration.ofSeconds(5), Duration.ofMinutes(30));
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
        SnapshotTaker taker = new SnapshotTaker(source, store, Clock.systemUTC());
        List<Double> etcdctlMbps = new ArrayList<>();
        List<Double> serviceMbps = new ArrayList<>();
        List<Double> serviceStreamMbps = new ArrayList<>();
        long maxHeapSampled = 0;
        long maxHeapPeaks = 0;
        long snapshotBytes = 0;

        // one unmeasured round of each first: the JIT of a long-running service is warm
        for (int round = 0; round <= rounds; round++) {
            Path file = dir.resolve("etcdctl-" + round + ".db");
            long t0 = System.nanoTime();
            ProcessBuilder pb = new ProcessBuilder("etcdctl", "--endpoints", member.clientUrl(), "snapshot", "save",
                    file.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("etcdctl.log").toFile());
            pb.environment().put("ETCDCTL_API", "3");
            int exit = pb.start().waitFor();
            double etcdctlSeconds = (System.nanoTime() - t0) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException("etcdctl snapshot save failed: " + Files.readString(dir.resolve("etcdctl.log")));
            }
            long etcdctlBytes = Files.size(file);
            Files.delete(file);
            if (round > 0) {
                etcdctlMbps.add(etcdctlBytes / 1e6 / etcdctlSeconds);
            }

            System.gc();
            HeapWatch watch = HeapWatch.start();
            long t1 = System.nanoTime();
            TakenSnapshot taken = taker.take(etcd.spec(), "bench-" + round, Compression.NONE, m -> { });
            double serviceSeconds = (System.nanoTime() - t1) / 1e9;
            long[] heap = watch.stop();
            maxHeapSampled = Math.max(maxHeapSampled, heap[0]);
            maxHeapPeaks = Math.max(maxHeapPeaks, heap[1]);
            store.delete(taken.location());
            snapshotBytes = taken.snapshotBytes();
            if (round > 0) {
                serviceMbps.add(taken.snapshotBytes() / 1e6 / serviceSeconds);
                serviceStreamMbps.add(taken.snapshotBytes() / 1e6 / (taken.duration().toNanos() / 1e9));
            }

            System.out.printf(Locale.ROOT, "%s: etcdctl %d bytes in %.2f s (%.0f MB/s) | backup-service %d bytes in "
                            + "%.2f s (%.0f MB/s; stream+hash+fsync %.2f s), heap max %.1f MB (sampled), %.1f MB (pool peaks)%n",
                    round == 0 ? "warm-up" : "round " + round, etcdctlBytes, etcdctlSeconds, etcdctlBytes / 1e6 / etcdctlSeconds, taken.snapshotBytes(),
                    serviceSeconds, taken.snapshotBytes() / 1e6 / serviceSeconds, taken.duration().toNanos() / 1e9,
                    heap[0] / 1048576.0, heap[1] / 1048576.0);
        }
        double etcdctlMedian = median(etcdctlMbps);
        double serviceMedian = median(serviceMbps);
        double ratio = serviceMedian / etcdctlMedian;
        System.out.printf(Locale.ROOT, "%nsnapshot %.0f MB; median throughput: etcdctl %.0f MB/s, backup-service %.0f MB/s "
                        + "(stream only %.0f MB/s); ratio %.3f (target >= 0.95: %s); backup-service max heap used while "
                        + "streaming %.1f MB sampled / %.1f MB sum of pool peaks, max heap %d MB (target < 64 MB: %s)%n",
                snapshotBytes / 1e6, etcdctlMedian, serviceMedian, median(serviceStreamMbps), ratio,
                ratio >= 0.95 ? "ok" : "MISSED", maxHeapSampled / 1048576.0, maxHeapPeaks / 1048576.0,
                Runtime.getRuntime().maxMemory() / (1024 * 1024), maxHeapPeaks < 64L * 1024 * 1024 ? "ok" : "MISSED");
        System.out.printf(Locale.ROOT, "{\"snapshot_bytes\":%d,\"etcdctl_mb_s\":%.1f,\"service_mb_s\":%.1f,\"ratio\":%.3f,"
                        + "\"heap_max_sampled_mb\":%.1f,\"heap_pool_peaks_mb\":%.1f,\"xmx_mb\":%d}%n",
                snapshotBytes, etcdctlMedian, serviceMedian, ratio, maxHeapSampled / 1048576.0, maxHeapPeaks / 1048576.0,
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    /** Puts 64 KiB values, 16 per transaction, 4 transactions in flight, until the payload reaches {@code bytes}. */
    static void fill(EtcdCluster etcd, long bytes) throws Exception {
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'x');
        ByteSequence v = ByteSequence.from(value);
        Deque<CompletableFuture<TxnResponse>> inFlight = new ArrayDeque<>();
        long written = 0;
        long t0 = System.nanoTime();
        int key = 0;
        while (written < bytes) {
            Op[] puts = new Op[PUTS_PER_TXN];
            for (int i = 0; i < PUTS_PER_TXN; i++) {
                // distinct values defeat nothing in bbolt, but keep the keys distinct so every put grows the db
                puts[i] = Op.put(ByteSequence.from(String.format("/bench/%08d", key++), StandardCharsets.UTF_8), v,
                        PutOption.DEFAULT);
            }
            inFlight.add(etcd.client().getKVClient().txn().Then(puts).commit());
            written += (long) PUTS_PER_TXN * VALUE_BYTES;
            if (inFlight.size() >= IN_FLIGHT) {
                inFlight.removeFirst().get(60, TimeUnit.SECONDS);
            }
        }
        for (CompletableFuture<TxnResponse> pending : inFlight) {
            pending.get(60, TimeUnit.SECONDS);
        }
        System.out.printf(Locale.ROOT, "filled %d keys, %d MB of values in %.1f s%n", key, written / (1024 * 1024),
                (System.nanoTime() - t0) / 1e9);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /** Samples heap used every 2 ms and reads the heap pools' peak usage (reset at start). */
    private static final class HeapWatch {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong max = new AtomicLong();
        private final Thread sampler;
        private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();

        private HeapWatch() {
            heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
            sampler = new Thread(() -> {
                while (running.get()) {
                    max.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-watch");
            sampler.setDaemon(true);
            sampler.start();
        }

        static HeapWatch start() {
            return new HeapWatch();
        }

        /** {max sampled heap used, sum of heap pool peaks}. */
        long[] stop() throws InterruptedException {
            running.set(false);
            sampler.join();
            long peaks = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            return new long[] {max.get(), peaks};
        }
    }
}
