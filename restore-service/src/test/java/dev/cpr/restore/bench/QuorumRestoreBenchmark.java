package dev.cpr.restore.bench;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.adapters.etcd.JetcdEtcdAdmin;
import dev.cpr.restore.adapters.etcd.QuorumRestoreRun;
import dev.cpr.restore.adapters.node.LocalNodeControl;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Quorum restore, side by side in one run on one 3-member etcd (issue #4: recovered within 30 s of approval,
 * at most 1.5 times the raw commands):
 * <ol>
 *   <li>raw: {@code etcdctl snapshot restore} of every member in parallel (new token), start all with
 *       {@code --initial-cluster-state new}, until every member answers {@code /health} true;</li>
 *   <li>plan: two members killed (quorum lost), then restore-service's {@code etcd-quorum-restore} steps with
 *       the real adapters (local node control, jetcd, etcdctl/etcdutl), from approval (the plan RUNNING) to
 *       SUCCEEDED: fetch (copy of the catalog's file + sha256 check), stop the survivor, restore, start,
 *       verify (leader, health, key count, revision), hooks (none). The plan store is in memory here; the
 *       service adds one PostgreSQL write and one Kafka publish per transition (see BENCHMARKS.md).</li>
 * </ol>
 * Arguments: {@code --size-mb 100 --dir target/bench}.
 */
public final class QuorumRestoreBenchmark {

    private static final int VALUE_BYTES = 80 * 1024;

    public static void main(String[] args) throws Exception {
        int sizeMb = 100;
        Path dir = Path.of("target/bench");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--size-mb" -> sizeMb = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        dir = dir.toAbsolutePath();
        LocalEtcdMember.deleteRecursively(dir);
        Files.createDirectories(dir);
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), "bench", 3)) {
            long t = System.nanoTime();
            int keys = fill(etcd, sizeMb);
            System.out.printf("filled %d keys of 80 KiB (%d MB of values) in %.1f s%n", keys, sizeMb, secs(t));

            Path snapshot = dir.resolve("snapshot.db");
            t = System.nanoTime();
            try (OutputStream out = Files.newOutputStream(snapshot)) {
                etcd.client().getMaintenanceClient().snapshot(out).get(120, TimeUnit.SECONDS);
            }
            GetResponse count = countAll(etcd);
            SnapshotRef ref = new SnapshotRef(UUID.randomUUID().toString(), "bench", count.getHeader().getRevision(),
                    count.getCount(), Instant.now(), sha256(snapshot), "none", Files.size(snapshot));
            System.out.printf("snapshot %d bytes (%d keys, revision %d) in %.1f s%n", Files.size(snapshot),
                    ref.keyCount(), ref.revision(), secs(t));

            long rawMillis = raw(etcd, snapshot);
            System.out.printf("raw commands: restore x3 in parallel + start + all healthy: %d ms%n", rawMillis);

            etcd.kill("etcd-2");
            etcd.kill("etcd-3");
            RecoveryPlan done = plan(etcd.spec(), ref, snapshot, dir.resolve("plan-snapshots"));
            long planMillis = Duration.between(done.steps().get(0).startedAt(), done.updatedAt()).toMillis();
            for (PlanStep step : done.steps()) {
                System.out.printf("  %-19s %-9s %5d ms  %s%n", step.name(), step.state(),
                        step.startedAt() == null ? 0 : Duration.between(step.startedAt(), step.finishedAt()).toMillis(),
                        step.output() == null ? "" : step.output().substring(0, Math.min(110, step.output().length())));
            }
            etcd.awaitHealthy(Duration.ofSeconds(10));
            long keysAfter = etcd.countKeys();
            double ratio = (double) planMillis / rawMillis;
            System.out.printf("plan etcd-quorum-restore: approval -> %s in %d ms; keys after %d (snapshot %d)%n",
                    done.state(), planMillis, keysAfter, ref.keyCount());
            System.out.printf("ratio plan/raw %.2f (target <= 1.5); recovered %s 30 s of approval%n", ratio,
                    planMillis <= 30_000 ? "within" : "NOT within");
            System.out.printf("{\"snapshot_bytes\":%d,\"raw_ms\":%d,\"plan_ms\":%d,\"ratio\":%.2f,\"state\":\"%s\","
                    + "\"keys_ok\":%b}%n", Files.size(snapshot), rawMillis, planMillis, ratio, done.state(),
                    keysAfter == ref.keyCount());
        } finally {
            LocalEtcdMember.deleteRecursively(dir);
        }
    }

    /** The raw commands an operator would type, timed from the first restore to every member healthy. */
    private static long raw(EtcdCluster etcd, Path snapshot) throws Exception {
        ClusterSpec spec = etcd.spec();
        etcd.stopAll();
        for (MemberSpec m : spec.members()) {
            Files.move(Path.of(m.dataDir()), Path.of(m.dataDir() + ".before-raw"));
        }
        String etcdctl = Path.of(spec.members().get(0).etcdBinary()).resolveSibling("etcdctl").toString();
        ClusterSpec rawToken = new ClusterSpec(spec.id(), spec.kind(), "bench-raw", spec.tls(), spec.members(),
                spec.policy());
        long t0 = System.nanoTime();
        List<CompletableFuture<Integer>> restores = new ArrayList<>();
        for (MemberSpec m : spec.members()) {
            restores.add(CompletableFuture.supplyAsync(() -> {
                try {
                    Process p = new ProcessBuilder(etcdctl, "snapshot", "restore", snapshot.toString(), "--name",
                            m.name(), "--initial-cluster", spec.initialClusterFlag(), "--initial-cluster-token",
                            "bench-raw", "--initial-advertise-peer-urls", m.peerUrl(), "--data-dir", m.dataDir())
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    return p.waitFor();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Integer> r : restores) {
            if (r.get() != 0) {
                throw new IllegalStateException("etcdctl snapshot restore failed");
            }
        }
        for (MemberSpec m : spec.members()) {
            new LocalEtcdMember(m).start(rawToken, spec.initialClusterFlag(), LocalEtcdMember.InitialState.NEW);
        }
        while (!spec.members().stream().allMatch(m -> etcd.isHealthy(m.name()))) {
            Thread.sleep(10);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** restore-service's plan with the real adapters; the store in memory. */
    private static RecoveryPlan plan(ClusterSpec spec, SnapshotRef ref, Path catalogFile, Path snapshotDir)
            throws Exception {
        String planId = UUID.randomUUID().toString();
        SnapshotCatalog catalog = QuorumRestoreRun.oneSnapshot(ref, catalogFile);
        JetcdEtcdAdmin etcdAdmin = new JetcdEtcdAdmin(config());
        LocalNodeControl nodes = new LocalNodeControl();
        EtcdQuorumRestorePlan.Settings settings = new EtcdQuorumRestorePlan.Settings(snapshotDir,
                Duration.ofMillis(20), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(2),
                Duration.ofSeconds(30), "etcdctl", "etcdutl", List.of());
        InMemoryPlanStore store = new InMemoryPlanStore();
        Instant now = Instant.now();
        RecoveryPlan plan = new RecoveryPlan(planId, "bench", spec.id(), "etcd-quorum-restore", null,
                PlanState.RUNNING, RecoveryMode.APPROVAL, now, now, now, null, "approved", 2,
                EtcdQuorumRestorePlan.outline(spec, ref)).withSnapshot(ref);
        store.insert(plan);
        ExecutorService steps = Executors.newCachedThreadPool();
        try {
            PlanEngine engine = new PlanEngine(store, p -> new EtcdQuorumRestorePlan(spec, p.id(), p.snapshot(), catalog,
                    etcdAdmin, nodes, settings, Sleeper.REAL).steps(), new PlanListener() { }, steps, Clock.systemUTC(),
                    Sleeper.REAL);
            return engine.run(plan);
        } finally {
            steps.shutdownNow();
            etcdAdmin.close();
        }
    }

    /** Only etcd().callTimeout()/statusTimeout() are read by JetcdEtcdAdmin. */
    private static RestoreConfig config() {
        RestoreConfig.Etcd etcd = (RestoreConfig.Etcd) Proxy.newProxyInstance(QuorumRestoreBenchmark.class.getClassLoader(),
                new Class<?>[] {RestoreConfig.Etcd.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "callTimeout" -> Duration.ofSeconds(3);
                    case "statusTimeout" -> Duration.ofSeconds(1);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (RestoreConfig) Proxy.newProxyInstance(QuorumRestoreBenchmark.class.getClassLoader(),
                new Class<?>[] {RestoreConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("etcd")) {
                        return etcd;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static int fill(EtcdCluster etcd, int sizeMb) throws Exception {
        int keys = (int) ((long) sizeMb * 1024 * 1024 / VALUE_BYTES);
        byte[] value = new byte[VALUE_BYTES];
        new java.util.Random(42).nextBytes(value);
        ByteSequence v = ByteSequence.from(value);
        List<Future<?>> inFlight = new ArrayList<>();
        for (int start = 0; start < keys; start += 10) {
            Op[] puts = new Op[Math.min(10, keys - start)];
            for (int i = 0; i < puts.length; i++) {
                puts[i] = Op.put(ByteSequence.from(String.format("/bench/%06d", start + i), StandardCharsets.UTF_8), v,
                        PutOption.DEFAULT);
            }
            inFlight.add(etcd.client().getKVClient().txn().Then(puts).commit());
            if (inFlight.size() >= 4) {
                inFlight.remove(0).get(30, TimeUnit.SECONDS);
            }
        }
        for (Future<?> f : inFlight) {
            f.get(30, TimeUnit.SECONDS);
        }
        return keys;
    }

    private static GetResponse countAll(EtcdCluster etcd) throws Exception {
        ByteSequence zero = ByteSequence.from(new byte[] {0});
        return etcd.client().getKVClient().get(zero, GetOption.builder().withRange(zero).withCountOnly(true).build())
                .get(10, TimeUnit.SECONDS);
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
