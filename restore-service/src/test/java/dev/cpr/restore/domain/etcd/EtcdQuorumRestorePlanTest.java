package dev.cpr.restore.domain.etcd;

import static dev.cpr.contracts.recovery.StepState.FAILED;
import static dev.cpr.contracts.recovery.StepState.PENDING;
import static dev.cpr.contracts.recovery.StepState.RUNNING;
import static dev.cpr.contracts.recovery.StepState.SKIPPED;
import static dev.cpr.contracts.recovery.StepState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.Plans;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.RetryPolicy;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.snapshot.InMemorySnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdQuorumRestorePlanTest {

    private static final String PLAN_ID = "5e1f0c2a-0000-4000-8000-000000000001";
    private static final Instant SNAPSHOT_TAKEN = Instant.parse("2026-01-01T09:58:00Z");
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:04Z");
    private static final byte[] CONTENT = "a v3 snapshot of test".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path snapshots;

    private final FakeEtcdCluster cluster = new FakeEtcdCluster("etcd-1", "etcd-2", "etcd-3");
    private final InMemoryPlanStore store = new InMemoryPlanStore();
    private final InMemorySnapshotCatalog catalog = new InMemorySnapshotCatalog();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private SnapshotRef snapshot(String sha) {
        return new SnapshotRef("snap-1", "test", 10_001, 10_000, SNAPSHOT_TAKEN, sha, "none", (long) CONTENT.length);
    }

    private PlanEngine engine(List<EtcdQuorumRestorePlan.Hook> hooks) {
        EtcdQuorumRestorePlan.Settings settings = new EtcdQuorumRestorePlan.Settings(snapshots, Duration.ofMillis(10),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), "etcdctl",
                "etcdutl", hooks);
        return new PlanEngine(store,
                plan -> new EtcdQuorumRestorePlan(cluster.spec, plan.id(), plan.snapshot(), catalog, cluster, cluster,
                        settings, d -> { }).steps(),
                new PlanListener() { }, executor, Clock.fixed(NOW, ZoneOffset.UTC), d -> { });
    }

    private RecoveryPlan stored(SnapshotRef ref) {
        RecoveryPlan plan = new RecoveryPlan(PLAN_ID, "incident-1", "test", "etcd-quorum-restore", null,
                PlanState.RUNNING, RecoveryMode.APPROVAL, Plans.CREATED, Plans.CREATED, Plans.DETECTED, null,
                "restore", 2, EtcdQuorumRestorePlan.outline(cluster.spec, ref)).withSnapshot(ref);
        store.insert(plan);
        return plan;
    }

    @Test
    void theStepsKeepTheRunbooksTextsOrderTimeoutsAndRetriesAndTheOutlineIsTheSameDeclaration() {
        SnapshotRef ref = snapshot("any");
        EtcdQuorumRestorePlan.Settings settings = new EtcdQuorumRestorePlan.Settings(snapshots, Duration.ofMillis(10),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(6), Duration.ofSeconds(4), "etcdctl",
                "etcdutl", List.of(new EtcdQuorumRestorePlan.Hook("*", "true"),
                        new EtcdQuorumRestorePlan.Hook("etcd-1", "true")));

        List<StepSpec> steps = new EtcdQuorumRestorePlan(cluster.spec, PLAN_ID, ref, catalog, cluster, cluster,
                settings, d -> { }).steps();

        assertThat(steps).extracting(StepSpec::name, StepSpec::description, StepSpec::destructive, StepSpec::timeout)
                .containsExactly(
                        tuple("fetch-snapshot", "download snapshot snap-1 from backup-service and check its sha256 "
                                + "against the catalog", false, Duration.ofSeconds(5)),
                        tuple("fetch-change-log", "download the change log from snapshot snap-1 to the target "
                                + "revision (none: SKIPPED) from backup-service, check the chain has no gap or overlap "
                                + "and each segment's sha256", false, Duration.ofSeconds(5)),
                        tuple("stop-members", "stop every member, one by one: etcd-1, etcd-2, etcd-3", false,
                                Duration.ofSeconds(60)),
                        tuple("restore-members", "restore etcd-1, etcd-2, etcd-3 from snapshot snap-1 with a new "
                                + "cluster token; old data dirs are moved aside to <data-dir>.cpr-<plan id>", true,
                                Duration.ofSeconds(6)),
                        tuple("start-members", "start every member as a new cluster with the new token", false,
                                Duration.ofSeconds(30)),
                        tuple("verify-restore", "a leader, every member healthy, key count and revision as in the "
                                + "snapshot", false, Duration.ofSeconds(7)),
                        tuple("replay-changes", "replay the change log into the restored cluster up to the target "
                                + "revision (none: SKIPPED), one transaction per original revision", false,
                                Duration.ofSeconds(6)),
                        tuple("verify-point", "read every replayed key back and check the cluster is at the target "
                                + "revision (none: SKIPPED)", false, Duration.ofSeconds(7)),
                        tuple("restore-v2-keys", "put the snapshot's v2 keyspace export back over the v2 API, if it "
                                + "has one", false, Duration.ofSeconds(5)),
                        // four hook runs (three members, then one) of 4 s each, and 5 s to spare
                        tuple("post-restore-hooks", "run the configured post-restore commands on the nodes", false,
                                Duration.ofSeconds(21)));
        assertThat(steps).extracting(s -> s.retry().maxAttempts()).containsExactly(3, 3, 3, 3, 3, 3, 3, 3, 3, 1);
        assertThat(steps).extracting(s -> s.retry().backoff()).containsOnly(RetryPolicy.DEFAULT.backoff());
        assertThat(EtcdQuorumRestorePlan.outline(cluster.spec, ref))
                .extracting(PlanStep::index, PlanStep::name, PlanStep::description, PlanStep::destructive)
                .containsExactlyElementsOf(steps.stream().map(s -> tuple(steps.indexOf(s), s.name(), s.description(),
                        s.destructive())).toList());
        assertThat(EtcdQuorumRestorePlan.outline(cluster.spec, null)).extracting(PlanStep::description)
                .contains("download the snapshot from backup-service and check its sha256 against the catalog");
    }

    @Test
    void theReplayAndItsReadBackAreGivenTimeInProportionToTheRevisionsReplayed() {
        // given a restore to 77,334 revisions past the snapshot (as the replay benchmark's, which a fixed 120 s cut off)
        SnapshotRef ref = snapshot("any");
        EtcdQuorumRestorePlan.Settings settings = new EtcdQuorumRestorePlan.Settings(snapshots, Duration.ofMillis(10),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(6), Duration.ofSeconds(4), "etcdctl",
                "etcdutl", List.of());
        EtcdQuorumRestorePlan.PointInTime point = new EtcdQuorumRestorePlan.PointInTime(ref.revision() + 77_334, null,
                null);

        // when its steps are declared
        List<StepSpec> steps = new EtcdQuorumRestorePlan(cluster.spec, PLAN_ID, ref, point, catalog, cluster, cluster,
                settings, d -> { }).steps();

        // then each of the two has its own base and 20 ms for every revision (1,546.68 s), the other steps as before
        Duration perRevisions = Duration.ofMillis(20L * 77_334);
        assertThat(steps).filteredOn(s -> s.name().equals("replay-changes")).singleElement()
                .extracting(StepSpec::timeout).isEqualTo(Duration.ofSeconds(6).plus(perRevisions));
        assertThat(steps).filteredOn(s -> s.name().equals("verify-point")).singleElement()
                .extracting(StepSpec::timeout).isEqualTo(Duration.ofSeconds(7).plus(perRevisions));
        assertThat(steps).filteredOn(s -> s.name().equals("restore-members")).singleElement()
                .extracting(StepSpec::timeout).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void everyMemberIsRestoredFromTheOneSnapshotWithANewTokenAndTheOldDataIsKeptAside() throws Exception {
        catalog.add(snapshot(sha256(CONTENT)), CONTENT);
        cluster.crash("etcd-2");
        cluster.crash("etcd-3");

        RecoveryPlan result = engine(List.of()).run(stored(snapshot(sha256(CONTENT))));

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.steps()).extracting(PlanStep::name).containsExactly("fetch-snapshot", "fetch-change-log",
                "stop-members", "restore-members", "start-members", "verify-restore", "replay-changes", "verify-point",
                "restore-v2-keys", "post-restore-hooks");
        assertThat(result.steps()).extracting(PlanStep::state).containsExactly(SUCCEEDED, SKIPPED, SUCCEEDED,
                SUCCEEDED, SUCCEEDED, SUCCEEDED, SKIPPED, SKIPPED, SKIPPED, SKIPPED);
        assertThat(result.steps()).filteredOn(PlanStep::destructive).extracting(PlanStep::name)
                .containsExactly("restore-members");
        // only the surviving member had to be stopped
        assertThat(cluster.stopped).containsExactly("etcd-1");
        String token = "test-5e1f0c2a";
        assertThat(cluster.commands).filteredOn(c -> c.contains("snapshot restore")).hasSize(3)
                .allSatisfy(c -> assertThat(c).startsWith(c.substring(0, 6) + ": etcdctl snapshot restore ")
                        .contains("--initial-cluster etcd-1=http://127.0.0.1:2380,etcd-2=http://127.0.0.1:2390,"
                                + "etcd-3=http://127.0.0.1:2400")
                        .contains("--initial-cluster-token " + token));
        assertThat(cluster.commands).anyMatch(c -> c.startsWith("etcd-2: ") && c.contains("--name etcd-2")
                && c.contains("--initial-advertise-peer-urls http://127.0.0.1:2390")
                && c.contains("--data-dir /data/etcd-2.cpr-" + PLAN_ID + ".restoring"));
        assertThat(cluster.starts).containsExactlyInAnyOrder("etcd-1 new " + token, "etcd-2 new " + token,
                "etcd-3 new " + token);
        assertThat(cluster.paths).contains("/data/etcd-1", "/data/etcd-1.cpr-" + PLAN_ID, "/data/etcd-2.cpr-" + PLAN_ID)
                .noneMatch(p -> p.endsWith(".restoring"));
        assertThat(result.step(5).output()).contains("10000 keys at revision 10001");
        assertThat(result.step(8).output()).contains("has no v2 keyspace export");
        assertThat(result.step(9).output()).contains("seed 002").contains("kubelets");
        // RPO: the snapshot's age when the restore started (fixed clock); RTO from detection
        assertThat(result.rpoSeconds()).isEqualTo(Duration.between(SNAPSHOT_TAKEN, NOW).toSeconds());
        assertThat(result.rtoMillis()).isEqualTo(Duration.between(Plans.DETECTED, NOW).toMillis());
        assertThat(Files.readAllBytes(snapshots.resolve("test").resolve(PLAN_ID + "-snap-1.db"))).isEqualTo(CONTENT);
    }

    @Test
    void aSnapshotWhoseHashDoesNotMatchFailsThePlanBeforeAnyMemberIsStopped() throws Exception {
        SnapshotRef claimed = snapshot(sha256("something else".getBytes(StandardCharsets.UTF_8)));
        catalog.add(claimed, CONTENT);

        RecoveryPlan result = engine(List.of()).run(stored(claimed));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.step(0).state()).isEqualTo(FAILED);
        assertThat(result.step(0).attempts()).isEqualTo(1);
        assertThat(result.message()).contains("sha256").contains("nothing was stopped");
        assertThat(result.steps().subList(1, 7)).extracting(PlanStep::state).containsOnly(PENDING);
        assertThat(cluster.calls("stop")).isZero();
        assertThat(cluster.commands).noneMatch(c -> c.contains("snapshot restore"));
        assertThat(snapshots.resolve("test").resolve(PLAN_ID + "-snap-1.db")).doesNotExist();
    }

    @Test
    void onEtcd34EtcdctlRestoresEvenWhenTheNodeHasEtcdutl() throws Exception {
        catalog.add(snapshot(sha256(CONTENT)), CONTENT);
        cluster.etcdutl = true;

        RecoveryPlan result = engine(List.of()).run(stored(snapshot(sha256(CONTENT))));

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(cluster.commands).filteredOn(c -> c.contains("snapshot restore")).hasSize(3)
                .allMatch(c -> c.contains(": etcdctl snapshot restore"))
                .noneMatch(c -> c.contains("--bump-revision"));
        assertThat(result.step(3).output()).contains("etcd-1 restored with etcdctl (etcd 3.4.23)")
                .contains("cannot bump the revision");
    }

    @Test
    void onEtcd35EtcdutlRestoresEveryMemberWithTheRevisionBumpedAndMarkedCompacted() throws Exception {
        catalog.add(snapshot(sha256(CONTENT)), CONTENT);
        cluster.etcdVersion = "3.5.16";
        cluster.etcdutl = true;

        RecoveryPlan result = engine(List.of()).run(stored(snapshot(sha256(CONTENT))));

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(cluster.commands).filteredOn(c -> c.contains("snapshot restore")).hasSize(3)
                .allSatisfy(c -> assertThat(c).contains(": etcdutl snapshot restore ")
                        .endsWith(" --bump-revision 1000000000 --mark-compacted"));
        assertThat(result.step(3).output()).contains("restored with etcdutl (etcd 3.5.16, revision bumped by 1000000000)");
    }

    @Test
    void onEtcd35WithoutEtcdutlEtcdctlRestoresAndThePlanSaysTheRevisionWasNotBumped() throws Exception {
        catalog.add(snapshot(sha256(CONTENT)), CONTENT);
        cluster.etcdVersion = "3.5.16";

        RecoveryPlan result = engine(List.of()).run(stored(snapshot(sha256(CONTENT))));

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(cluster.commands).filteredOn(c -> c.contains("snapshot restore")).hasSize(3)
                .allMatch(c -> c.contains(": etcdctl snapshot restore") && !c.contains("--bump-revision"));
        assertThat(result.step(3).output()).contains("etcdutl was not found on the node")
                .contains("without --bump-revision");
    }

    @Test
    void onEtcd36WithoutEtcdutlTheRestoreFailsBecauseEtcdctlCannotRestoreThere() throws Exception {
        catalog.add(snapshot(sha256(CONTENT)), CONTENT);
        cluster.etcdVersion = "3.6.0";

        RecoveryPlan result = engine(List.of()).run(stored(snapshot(sha256(CONTENT))));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.step(3).state()).isEqualTo(FAILED);
        assertThat(result.message()).contains("etcd 3.6.0").contains("restores with etcdutl");
        assertThat(cluster.commands).noneMatch(c -> c.contains("snapshot restore"));
    }

    @Test
    void configuredHooksRunOnTheirNodesAndTheirOutputIsKept() throws Exception {
        catalog.add(snapshot(sha256(CONTENT)), CONTENT);

        RecoveryPlan result = engine(List.of(new EtcdQuorumRestorePlan.Hook("*", "systemctl restart kubelet"),
                new EtcdQuorumRestorePlan.Hook("etcd-1", "systemctl restart kube-apiserver")))
                .run(stored(snapshot(sha256(CONTENT))));

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(9).state()).isEqualTo(SUCCEEDED);
        assertThat(cluster.calls("hook")).isEqualTo(4);
        assertThat(result.step(9).output()).contains("etcd-3 $ systemctl restart kubelet -> exit 0")
                .contains("ran systemctl restart kube-apiserver on etcd-1");
    }

    @Test
    void aFailingHookFailsThePlanAndSaysEtcdItselfIsRestored() throws Exception {
        catalog.add(snapshot(sha256(CONTENT)), CONTENT);
        cluster.hookExitCode = 3;

        RecoveryPlan result = engine(List.of(new EtcdQuorumRestorePlan.Hook("etcd-2", "false")))
                .run(stored(snapshot(sha256(CONTENT))));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.step(5).state()).isEqualTo(SUCCEEDED);
        assertThat(result.message()).contains("exited 3").contains("etcd itself is restored");
    }

    @Test
    void aRestoreResumedAfterACrashDoesNotRestoreAMemberTwiceNorLoseItsOldData() throws Exception {
        catalog.add(snapshot(sha256(CONTENT)), CONTENT);
        SnapshotRef ref = snapshot(sha256(CONTENT));
        // first run dies inside restore-members after etcd-1 was restored
        RecoveryPlan plan = stored(ref);
        Files.createDirectories(snapshots.resolve("test"));
        Files.write(snapshots.resolve("test").resolve(PLAN_ID + "-snap-1.db"), CONTENT);
        cluster.crash("etcd-1");
        cluster.crash("etcd-2");
        cluster.crash("etcd-3");
        cluster.paths.remove("/data/etcd-1");
        cluster.paths.add("/data/etcd-1.cpr-" + PLAN_ID);
        cluster.paths.add("/data/etcd-1");
        cluster.paths.add("/data/etcd-1.cpr-" + PLAN_ID + ".restored");
        cluster.paths.add("/data/etcd-2.cpr-" + PLAN_ID + ".restoring");
        RecoveryPlan interrupted = Plans.withStates(plan, SUCCEEDED, SUCCEEDED, RUNNING);
        store.insert(interrupted);

        RecoveryPlan result = engine(List.of()).run(interrupted);

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(cluster.commands).filteredOn(c -> c.contains("snapshot restore"))
                .extracting(c -> c.substring(0, 6)).containsExactlyInAnyOrder("etcd-2", "etcd-3");
        assertThat(cluster.paths).contains("/data/etcd-2.cpr-" + PLAN_ID, "/data/etcd-2", "/data/etcd-3.cpr-" + PLAN_ID);
        assertThat(catalog.downloads).isZero();
    }

    @Test
    void aClusterThatDoesNotComeBackWithTheSnapshotsKeysFailsVerification() throws Exception {
        catalog.add(snapshot(sha256(CONTENT)), CONTENT);
        cluster.keyCount = 9_000;

        RecoveryPlan result = engine(List.of()).run(stored(snapshot(sha256(CONTENT))));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.message()).contains("verify-restore").contains("9000 keys, the snapshot 10000");
    }

    /** What the fault injection does in the service: the JVM dies right after a step's end is stored. */
    private static final class Crash extends RuntimeException {
        Crash() {
            super("killed");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "killed after step {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
    void aServiceKilledAtAnyStepBoundaryResumesAndEndsWithTheClusterRestoredOnce(int killedAfter) throws Exception {
        catalog.add(snapshot(sha256(CONTENT)), CONTENT);
        cluster.crash("etcd-2");
        cluster.crash("etcd-3");
        EtcdQuorumRestorePlan.Settings settings = new EtcdQuorumRestorePlan.Settings(snapshots, Duration.ofMillis(10),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), "etcdctl",
                "etcdutl", List.of());
        PlanListener killer = new PlanListener() {
            @Override
            public void stepFinished(RecoveryPlan plan, PlanStep step, Duration took) {
                if (step.index() == killedAfter) {
                    throw new Crash();
                }
            }
        };
        PlanEngine dying = new PlanEngine(store, plan -> new EtcdQuorumRestorePlan(cluster.spec, plan.id(),
                plan.snapshot(), catalog, cluster, cluster, settings, d -> { }).steps(), killer, executor,
                Clock.fixed(NOW, ZoneOffset.UTC), d -> { });
        RecoveryPlan plan = stored(snapshot(sha256(CONTENT)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dying.run(plan)).isInstanceOf(Crash.class);

        RecoveryPlan afterRestart = store.find(plan.id()).orElseThrow();
        RecoveryPlan result = engine(List.of()).run(afterRestart);

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(3).attempts()).as("restore-members ran once").isEqualTo(1);
        assertThat(cluster.calls("restore")).isEqualTo(3);
        assertThat(catalog.downloads).isEqualTo(1);
        assertThat(cluster.paths).contains("/data/etcd-1", "/data/etcd-1.cpr-" + PLAN_ID, "/data/etcd-2",
                "/data/etcd-3");
        assertThat(cluster.starts).hasSize(3);
    }

    @Test
    void theV2KeyspaceExportIsPutBackOverTheV2ApiWhenTheSnapshotHasOne() throws Exception {
        byte[] export = "{\"action\":\"get\",\"node\":{\"dir\":true}}".getBytes(StandardCharsets.UTF_8);
        catalog.add(snapshot(sha256(CONTENT)), CONTENT).withV2("snap-1", export, sha256(export), 7);

        RecoveryPlan result = engine(List.of()).run(stored(snapshot(sha256(CONTENT))));

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(8).state()).isEqualTo(SUCCEEDED);
        assertThat(result.step(8).output()).isEqualTo("put 7 v2 keys into etcd-1 over the v2 API (export: 7 keys, "
                + "sha256 matches the catalog)");
        assertThat(cluster.v2Keys).isEqualTo(7);
    }

    @Test
    void aV2ExportWhoseHashDoesNotMatchIsRefused() throws Exception {
        byte[] export = "{}".getBytes(StandardCharsets.UTF_8);
        catalog.add(snapshot(sha256(CONTENT)), CONTENT).withV2("snap-1", export, sha256(CONTENT), 7);

        RecoveryPlan result = engine(List.of()).run(stored(snapshot(sha256(CONTENT))));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.message()).contains("restore-v2-keys").contains("sha256 of the v2 export");
        assertThat(cluster.v2Keys).isZero();
    }
}
