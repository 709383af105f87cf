package dev.cpr.restore.domain.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdQuorumRevivePlanTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:04Z");

    @TempDir
    Path snapshots;

    private final FakeEtcdCluster cluster = new FakeEtcdCluster("etcd-1", "etcd-2", "etcd-3");
    private final InMemoryPlanStore store = new InMemoryPlanStore();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private PlanEngine engine() {
        EtcdMemberReplacePlan.Settings settings = new EtcdMemberReplacePlan.Settings(snapshots, Duration.ofMillis(10),
                100, Duration.ofSeconds(2), Duration.ofSeconds(2));
        return new PlanEngine(store, plan -> new EtcdQuorumRevivePlan(cluster.spec, plan.id(),
                EtcdQuorumRevivePlan.startMembers(plan.targetMember()),
                EtcdQuorumRevivePlan.replaceMembers(plan.steps()), cluster, cluster, settings, d -> { }).steps(),
                new PlanListener() { }, executor, Clock.fixed(NOW, ZoneOffset.UTC), d -> { });
    }

    private RecoveryPlan stored(List<String> start, List<String> replace) {
        RecoveryPlan plan = new RecoveryPlan("plan-revive", "incident-1", "test", "etcd-quorum-revive",
                EtcdQuorumRevivePlan.target(start), PlanState.RUNNING, RecoveryMode.AUTO, Plans.CREATED, Plans.CREATED,
                Plans.DETECTED, null, "revive", 1, EtcdQuorumRevivePlan.outline(cluster.spec, start, replace));
        store.insert(plan);
        return plan;
    }

    @Test
    void twoMembersDownWithTheirDataAreStartedAgainOnceAndTheClusterIsWhole() throws Exception {
        cluster.crash("etcd-2");
        cluster.crash("etcd-3");

        RecoveryPlan done = engine().run(stored(List.of("etcd-2", "etcd-3"), List.of()));

        assertThat(done.state()).as(done.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(done.steps()).extracting(PlanStep::name)
                .containsExactly("start-members", "wait-quorum", "verify-cluster");
        assertThat(cluster.calls("start")).isEqualTo(2);
        assertThat(cluster.calls("wipe")).isZero();
        assertThat(cluster.calls("remove")).isZero();
        assertThat(done.step(0).output()).contains("started etcd-2, etcd-3 on their own data");
        assertThat(done.step(2).output()).contains("3/3 members listed and healthy");
    }

    @Test
    void resumedAfterACrashDuringStartItStartsOnlyTheMemberNotYetStarted() throws Exception {
        cluster.crash("etcd-2");
        cluster.crash("etcd-3");
        RecoveryPlan plan = stored(List.of("etcd-2", "etcd-3"), List.of());
        // restore-service died inside start-members, after starting etcd-2 and before etcd-3
        cluster.start(cluster.spec, cluster.member("etcd-2"), cluster.spec.initialClusterFlag());
        List<PlanStep> steps = new ArrayList<>(plan.steps());
        steps.set(0, steps.get(0).attemptStarted(Plans.CREATED));
        RecoveryPlan crashed = new RecoveryPlan(plan.id(), plan.incidentId(), plan.clusterId(), plan.plan(),
                plan.targetMember(), PlanState.RUNNING, plan.mode(), plan.createdAt(), plan.createdAt(),
                plan.detectedAt(), null, plan.message(), plan.sequence() + 1, steps);
        store.save(crashed);

        RecoveryPlan done = engine().run(crashed);

        assertThat(done.state()).as(done.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(cluster.calls("start")).as("etcd-2 before the crash, etcd-3 after: each once").isEqualTo(2);
        assertThat(done.step(0).output()).contains("started etcd-3").contains("etcd-2 already running");
    }

    @Test
    void resumedAfterEveryMemberWasStartedTheStartStepIsSkipped() throws Exception {
        RecoveryPlan plan = stored(List.of("etcd-2", "etcd-3"), List.of());

        RecoveryPlan done = engine().run(plan);

        assertThat(done.step(0).state()).isEqualTo(StepState.SKIPPED);
        assertThat(cluster.calls("start")).isZero();
    }

    @Test
    void aMemberWhoseDataIsGoneIsReplacedWithTheMemberReplaceStepsOnceQuorumIsBack() throws Exception {
        cluster.crash("etcd-2");
        cluster.crash("etcd-3");
        cluster.wipe(cluster.member("etcd-3"));
        // quorum is back only once etcd-2 runs: the replace of etcd-3 comes after

        RecoveryPlan done = engine().run(stored(List.of("etcd-2"), List.of("etcd-3")));

        assertThat(done.state()).as(done.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(done.steps()).extracting(PlanStep::name).containsExactly("start-members", "wait-quorum",
                "etcd-3/safety-snapshot", "etcd-3/stop-member", "etcd-3/member-remove", "etcd-3/wipe-data-dir",
                "etcd-3/member-add", "etcd-3/start-member", "etcd-3/wait-caught-up", "verify-cluster");
        assertThat(EtcdQuorumRevivePlan.replaceMembers(done.steps())).containsExactly("etcd-3");
        assertThat(cluster.calls("remove")).isEqualTo(1);
        assertThat(cluster.calls("add")).isEqualTo(1);
        assertThat(cluster.isRunning(cluster.member("etcd-3"))).isTrue();
    }

    @Test
    void aMemberWhoseDataVanishedSinceTheSurveyIsNotStartedEmpty() throws Exception {
        cluster.crash("etcd-2");
        cluster.crash("etcd-3");
        cluster.wipe(cluster.member("etcd-3"));

        RecoveryPlan done = engine().run(stored(List.of("etcd-2", "etcd-3"), List.of()));

        assertThat(done.state()).isEqualTo(PlanState.FAILED);
        assertThat(done.step(0).output()).contains("etcd-3's data directory").contains("gone since the survey");
        assertThat(cluster.calls("start")).as("nothing started").isZero();
    }
}
