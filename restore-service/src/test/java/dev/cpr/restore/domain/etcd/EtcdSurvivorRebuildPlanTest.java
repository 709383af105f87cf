package dev.cpr.restore.domain.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.domain.plan.PlanStore;
import java.util.Optional;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.Plans;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdSurvivorRebuildPlanTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:04Z");
    private static final String PLAN_ID = "7a2b0c2a-0000-4000-8000-000000000002";

    @TempDir
    Path snapshots;

    private final FakeEtcdCluster cluster = new FakeEtcdCluster("etcd-1", "etcd-2", "etcd-3");
    private final InMemoryPlanStore store = new InMemoryPlanStore();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @BeforeEach
    void twoMembersLostTheirDataAndEtcd1Survives() {
        cluster.withMemberFiles("etcd-1");
        cluster.crash("etcd-2");
        cluster.wipe(cluster.member("etcd-2"));
        cluster.crash("etcd-3");
        cluster.wipe(cluster.member("etcd-3"));
        cluster.statusRevision = cluster.revision;
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private PlanEngine engine() {
        EtcdMemberReplacePlan.Settings settings = new EtcdMemberReplacePlan.Settings(snapshots, Duration.ofMillis(10),
                100, Duration.ofSeconds(2), Duration.ofSeconds(2));
        EtcdQuorumRestorePlan.Settings restore = new EtcdQuorumRestorePlan.Settings(snapshots, Duration.ofMillis(10),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), "etcdctl",
                "etcdutl", List.of());
        return new PlanEngine(store, plan -> new EtcdSurvivorRebuildPlan(cluster.spec, plan.id(), plan.targetMember(),
                cluster, cluster, settings, restore, d -> { }).steps(),
                new PlanListener() { }, executor, Clock.fixed(NOW, ZoneOffset.UTC), d -> { });
    }

    private RecoveryPlan stored() {
        RecoveryPlan plan = new RecoveryPlan(PLAN_ID, "incident-1", "test", "etcd-survivor-rebuild", "etcd-1",
                PlanState.RUNNING, RecoveryMode.APPROVAL, Plans.CREATED, Plans.CREATED, Plans.DETECTED, null,
                "rebuild", 2, EtcdSurvivorRebuildPlan.outline(cluster.spec, "etcd-1"));
        store.insert(plan);
        return plan;
    }

    @Test
    void theSurvivorsDbBecomesAOneMemberClusterAndTheOthersJoinOneByOne() throws Exception {
        RecoveryPlan done = engine().run(stored());

        assertThat(done.state()).as(done.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(done.steps()).extracting(PlanStep::name).containsExactly("stop-members", "copy-survivor-db",
                "restore-survivor", "start-survivor", "wait-survivor",
                "etcd-2/stop-member", "etcd-2/member-remove", "etcd-2/wipe-data-dir", "etcd-2/member-add",
                "etcd-2/start-member", "etcd-2/wait-caught-up",
                "etcd-3/stop-member", "etcd-3/member-remove", "etcd-3/wipe-data-dir", "etcd-3/member-add",
                "etcd-3/start-member", "etcd-3/wait-caught-up", "verify-cluster");
        assertThat(cluster.stopped).containsExactly("etcd-1");
        assertThat(cluster.commands).anySatisfy(c -> assertThat(c).startsWith("etcd-1: etcdctl snapshot restore "
                + "/data/etcd-1.cpr-" + PLAN_ID + ".db --skip-hash-check --name etcd-1 --initial-cluster "
                + "etcd-1=http://127.0.0.1:2380 --initial-cluster-token test-7a2b0c2a"));
        assertThat(cluster.starts).containsExactly("etcd-1 new test-7a2b0c2a");
        assertThat(cluster.calls("add")).as("etcd-2, then etcd-3").isEqualTo(2);
        assertThat(cluster.paths).contains("/data/etcd-1.cpr-" + PLAN_ID).as("the survivor's old data kept aside");
        assertThat(done.step(1).output()).contains("revision 10001");
        assertThat(done.step(done.steps().size() - 1).output()).contains("3/3 members listed and healthy")
                .contains("10000 keys at revision 10001");
        assertThat(done.steps()).filteredOn(PlanStep::destructive).extracting(PlanStep::name)
                .containsExactly("restore-survivor", "etcd-2/member-remove", "etcd-2/wipe-data-dir",
                        "etcd-3/member-remove", "etcd-3/wipe-data-dir");
    }

    @Test
    void noMemberJoinsBeforeTheSurvivorsNewClusterHasDecidedItsVersion() throws Exception {
        // given a survivor that leads at once but answers not_decided for its first three looks
        cluster.clusterVersionUndecidedAnswers = 3;

        // when the plan runs
        RecoveryPlan done = engine().run(stored());

        // then wait-survivor waited the version out, and no member was added while etcd would have refused it
        assertThat(done.state()).as(done.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(cluster.addsWhileUndecided).isZero();
        assertThat(cluster.calls("add")).isEqualTo(2);
    }

    @Test
    void aSurvivorThatComesBackBelowTheRevisionOfItsDbFailsThePlanAndKeepsItsOldData() throws Exception {
        cluster.statusRevision = 10;

        RecoveryPlan done = engine().run(stored());

        assertThat(done.state()).isEqualTo(PlanState.FAILED);
        assertThat(done.message()).contains("wait-survivor");
        assertThat(done.step(4).output()).contains("below the surveyed 10001")
                .contains("/data/etcd-1.cpr-" + PLAN_ID);
        assertThat(cluster.calls("add")).isZero();
    }

    /** restore-service dies right after the step's action, before its success is stored. */
    private static final class Crash extends Error {
    }

    @Test
    void killedAfterTheRestoreBeforeItWasStoredItResumesWithoutRestoringOrStartingTwice() throws Exception {
        RecoveryPlan plan = stored();
        PlanStore crashing = new PlanStore() {
            @Override
            public void save(RecoveryPlan next) {
                if (next.step(2).state() == StepState.SUCCEEDED) {
                    throw new Crash();
                }
                store.save(next);
            }

            @Override
            public Optional<RecoveryPlan> find(String planId) {
                return store.find(planId);
            }

            @Override
            public List<RecoveryPlan> running() {
                return store.running();
            }
        };
        EtcdMemberReplacePlan.Settings settings = new EtcdMemberReplacePlan.Settings(snapshots, Duration.ofMillis(10),
                100, Duration.ofSeconds(2), Duration.ofSeconds(2));
        EtcdQuorumRestorePlan.Settings restore = new EtcdQuorumRestorePlan.Settings(snapshots, Duration.ofMillis(10),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), "etcdctl",
                "etcdutl", List.of());
        PlanEngine dying = new PlanEngine(crashing, p -> new EtcdSurvivorRebuildPlan(cluster.spec, p.id(),
                p.targetMember(), cluster, cluster, settings, restore, d -> { }).steps(), new PlanListener() { },
                executor, Clock.fixed(NOW, ZoneOffset.UTC), d -> { });
        assertThatThrownBy(() -> dying.run(plan)).isInstanceOf(Crash.class);
        RecoveryPlan left = store.find(PLAN_ID).orElseThrow();
        assertThat(left.step(2).state()).isEqualTo(StepState.RUNNING);

        RecoveryPlan done = engine().run(left);

        assertThat(done.state()).as(done.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(done.step(2).state()).isEqualTo(StepState.SKIPPED);
        assertThat(cluster.calls("restore")).isEqualTo(1);
        assertThat(cluster.starts).containsExactly("etcd-1 new test-7a2b0c2a");
    }
}
