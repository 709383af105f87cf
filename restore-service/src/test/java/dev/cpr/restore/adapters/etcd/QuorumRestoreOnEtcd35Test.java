package dev.cpr.restore.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.adapters.node.LocalNodeControl;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.etcd.EtcdRelease;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 000 on a real etcd 3.5 cluster (Debian trixie's, which {@code .ci/run} fetches): restore-service's
 * {@code etcd-quorum-restore} steps with the real adapters (local node control, jetcd, the etcdutl beside the members'
 * etcd) restore the cluster with {@code etcdutl snapshot restore --bump-revision --mark-compacted}, and the revision
 * the cluster serves afterwards is past the snapshot's by the bump. Skipped where 3.5 cannot be fetched.
 */
class QuorumRestoreOnEtcd35Test {

    private final Path dir = Path.of("target/etcd35-quorum-restore-" + UUID.randomUUID().toString().substring(0, 8))
            .toAbsolutePath();

    @AfterEach
    void cleanUp() throws Exception {
        System.clearProperty(EtcdRelease.PROPERTY);
        LocalEtcdMember.deleteRecursively(dir);
    }

    @Test
    void aLostQuorumOnEtcd35IsRestoredWithEtcdutlAndTheRevisionIsBumped() throws Exception {
        assumeTrue(etcd35Available(), "etcd 3.5 could not be fetched (scripts/etcd-debian.sh 3.5)");
        System.setProperty(EtcdRelease.PROPERTY, "3.5");
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), "three-five", 3)) {
            // given 500 keys in a snapshot of a 3.5 cluster and 50 written after it
            assertThat(etcd.version()).startsWith("3.5.");
            etcd.putKeys("/seed000/", 500);
            Path snapshot = dir.resolve("snapshot.db");
            try (OutputStream out = Files.newOutputStream(snapshot)) {
                etcd.client().getMaintenanceClient().snapshot(out).get(60, TimeUnit.SECONDS);
            }
            long snapshotRevision = etcd.revision();
            long snapshotKeys = etcd.countKeys();
            SnapshotRef ref = new SnapshotRef(UUID.randomUUID().toString(), "three-five", snapshotRevision, snapshotKeys,
                    Instant.now(), sha256(snapshot), "none", Files.size(snapshot));
            etcd.putKeys("/seed000/after/", 50);

            // when two members die and the approved restore runs
            etcd.kill("etcd-2");
            etcd.kill("etcd-3");
            RecoveryPlan done = restore(etcd.spec(), ref, snapshot);

            // then the cluster holds the snapshot's keys, at a revision bumped past everything served before
            assertThat(done.state()).as(done.message()).isEqualTo(PlanState.SUCCEEDED);
            assertThat(done.step(3).output()).contains("etcd-1 restored with etcdutl (etcd 3.5.")
                    .contains("revision bumped by 1000000000");
            etcd.awaitHealthy(Duration.ofSeconds(20));
            assertThat(etcd.countKeys()).isEqualTo(snapshotKeys);
            assertThat(etcd.revision()).isGreaterThanOrEqualTo(snapshotRevision + EtcdTools.DEFAULT_BUMP_REVISION);
            System.out.printf("[etcd 3.5] snapshot revision %d, after the restore %d; %s%n", snapshotRevision,
                    etcd.revision(), done.step(3).output());
        }
    }

    private static boolean etcd35Available() {
        try {
            return Files.isExecutable(EtcdRelease.binDir("3.5").resolve("etcdutl"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** restore-service's plan with the real adapters; the plan store in memory, approved already. */
    private RecoveryPlan restore(ClusterSpec spec, SnapshotRef ref, Path catalogFile) throws Exception {
        SnapshotCatalog catalog = QuorumRestoreRun.oneSnapshot(ref, catalogFile);
        EtcdQuorumRestorePlan.Settings settings = new EtcdQuorumRestorePlan.Settings(dir.resolve("plan-snapshots"),
                Duration.ofMillis(50), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(2),
                Duration.ofSeconds(30), "etcdctl", "etcdutl", List.of());
        InMemoryPlanStore store = new InMemoryPlanStore();
        Instant now = Instant.now();
        RecoveryPlan plan = new RecoveryPlan(UUID.randomUUID().toString(), "incident-35", spec.id(), "etcd-quorum-restore",
                null, PlanState.RUNNING, RecoveryMode.APPROVAL, now, now, now, null, "approved", 2,
                EtcdQuorumRestorePlan.outline(spec, ref)).withSnapshot(ref);
        store.insert(plan);
        ExecutorService steps = Executors.newCachedThreadPool();
        JetcdEtcdAdmin etcdAdmin = new JetcdEtcdAdmin(config());
        try {
            PlanEngine engine = new PlanEngine(store, p -> new EtcdQuorumRestorePlan(spec, p.id(), p.snapshot(), catalog,
                    etcdAdmin, new LocalNodeControl(), settings, Sleeper.REAL).steps(), new PlanListener() { }, steps,
                    Clock.systemUTC(), Sleeper.REAL);
            return engine.run(plan);
        } finally {
            steps.shutdownNow();
            etcdAdmin.close();
        }
    }

    /** Only etcd().callTimeout()/statusTimeout() are read by JetcdEtcdAdmin. */
    private static RestoreConfig config() {
        RestoreConfig.Etcd etcd = (RestoreConfig.Etcd) Proxy.newProxyInstance(QuorumRestoreOnEtcd35Test.class.getClassLoader(),
                new Class<?>[] {RestoreConfig.Etcd.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "callTimeout" -> Duration.ofSeconds(5);
                    case "statusTimeout" -> Duration.ofSeconds(2);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (RestoreConfig) Proxy.newProxyInstance(QuorumRestoreOnEtcd35Test.class.getClassLoader(),
                new Class<?>[] {RestoreConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("etcd")) {
                        return etcd;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
