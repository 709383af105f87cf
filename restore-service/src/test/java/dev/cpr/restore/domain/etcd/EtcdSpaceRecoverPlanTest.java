package dev.cpr.restore.domain.etcd;

import static dev.cpr.contracts.recovery.StepState.PENDING;
import static dev.cpr.contracts.recovery.StepState.RUNNING;
import static dev.cpr.contracts.recovery.StepState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.Plans;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EtcdSpaceRecoverPlanTest {

    private static final long MIB = 1024 * 1024;
    private static final Duration PAUSE = Duration.ofSeconds(7);

    private final InMemoryPlanStore store = new InMemoryPlanStore();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Duration> pauses = new ArrayList<>();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private PlanEngine engine(FakeSpaceCluster cluster) {
        EtcdSpaceRecoverPlan.Settings settings = new EtcdSpaceRecoverPlan.Settings(Duration.ofMillis(10), 0, PAUSE, 90,
                Optional.empty(), Duration.ofSeconds(5));
        return new PlanEngine(store,
                plan -> new EtcdSpaceRecoverPlan(cluster.spec, plan.id(), cluster, settings, pauses::add, plan.steps())
                        .steps(),
                new PlanListener() { }, executor, Clock.fixed(Instant.parse("2026-12-02T08:00:04Z"), ZoneOffset.UTC),
                d -> { });
    }

    private RecoveryPlan stored(RecoveryPlan plan) {
        store.insert(plan);
        return plan;
    }

    private static RecoveryPlan fresh(FakeSpaceCluster cluster) {
        return Plans.running("etcd-space-recover", EtcdSpaceRecoverPlan.outline(cluster.spec));
    }

    @Test
    void aFullClusterIsCompactedDefragmentedOneByOneWithTheLeaderLastAndDisarmed() throws Exception {
        // given: 16 MiB quota reached, 2 MiB of it live data, etcd-2 leads
        FakeSpaceCluster cluster = new FakeSpaceCluster(16 * MIB, 2 * MIB, "etcd-1", "etcd-2", "etcd-3");
        cluster.leader = "etcd-2";

        // when
        RecoveryPlan result = engine(cluster).run(stored(fresh(cluster)));

        // then
        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.steps()).extracting(PlanStep::name).containsExactly("record-sizes", "compact",
                "defragment-1", "defragment-2", "defragment-3", "check-quota", "disarm-alarm", "verify-write",
                "verify-shrunk");
        assertThat(cluster.defragmented).containsExactly("etcd-1", "etcd-3", "etcd-2");
        assertThat(pauses).containsExactly(PAUSE, PAUSE);
        assertThat(cluster.compactedAt).isEqualTo(5_000);
        assertThat(cluster.alarmed).isEmpty();
        assertThat(cluster.writes).containsExactly("/cpr/space-recover/plan-1");
        assertThat(cluster.keys).isEqualTo(10_000);
        assertThat(cluster.violations).isEmpty();
        assertThat(result.step(0).output()).contains("order: etcd-1, etcd-3, etcd-2;", "the leader etcd-2 last");
        assertThat(result.step(8).output()).contains("etcd-1 16.0 MiB -> 2.0 MiB");
    }

    @Test
    void theCompactionKeepsTheConfiguredWindowOfRevisions() throws Exception {
        FakeSpaceCluster cluster = new FakeSpaceCluster(16 * MIB, 2 * MIB, "etcd-1", "etcd-2", "etcd-3");
        EtcdSpaceRecoverPlan.Settings settings = new EtcdSpaceRecoverPlan.Settings(Duration.ofMillis(10), 1_000,
                Duration.ZERO, 90, Optional.empty(), Duration.ofSeconds(5));
        PlanEngine engine = new PlanEngine(store, plan -> new EtcdSpaceRecoverPlan(cluster.spec, plan.id(), cluster,
                settings, pauses::add, plan.steps()).steps(), new PlanListener() { }, executor, Clock.systemUTC(),
                d -> { });

        RecoveryPlan result = engine.run(stored(fresh(cluster)));

        assertThat(cluster.compactedAt).isEqualTo(4_000);
        assertThat(result.step(1).output()).contains("before revision 4000", "kept the last 1000 revisions");
        assertThat(pauses).isEmpty();
    }

    @Test
    void whenTheLiveDataItselfExceedsTheQuotaThePlanStopsAndSaysToRaiseTheQuota() throws Exception {
        // given: 15.5 of the 16 MiB are live keys: compaction frees almost nothing
        FakeSpaceCluster cluster = new FakeSpaceCluster(16 * MIB, 16 * MIB - MIB / 2, "etcd-1", "etcd-2", "etcd-3");

        // when
        RecoveryPlan result = engine(cluster).run(stored(fresh(cluster)));

        // then
        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        PlanStep check = result.steps().stream().filter(s -> s.name().equals("check-quota")).findFirst().orElseThrow();
        assertThat(check.state()).isEqualTo(StepState.FAILED);
        assertThat(check.output()).contains("live data itself exceeds the quota", "raise --quota-backend-bytes",
                "no key was lost");
        assertThat(cluster.alarmed).hasSize(3);
        assertThat(cluster.writes).isEmpty();
    }

    @Test
    void aPlanResumedAfterACrashDuringADefragmentationNeverDefragmentsTwoMembersAtOnce() throws Exception {
        // given: restore-service died while etcd-3 (the second in the recorded order) was defragmenting; the server
        // carries on with it, and meanwhile etcd-3 became the leader
        FakeSpaceCluster cluster = new FakeSpaceCluster(16 * MIB, 2 * MIB, "etcd-1", "etcd-2", "etcd-3");
        cluster.compact(cluster.spec, 5_000);
        cluster.defragment(cluster.spec.members().get(0).clientUrl());
        cluster.defragmented.clear();
        cluster.diedDuringDefragmentOf("etcd-3");
        cluster.leader = "etcd-3";
        Map<String, Long> sizes = new LinkedHashMap<>(Map.of("etcd-1", 16 * MIB, "etcd-2", 16 * MIB, "etcd-3", 16 * MIB));
        RecoveryPlan plan = Plans.withStates(fresh(cluster), SUCCEEDED, SUCCEEDED, SUCCEEDED, RUNNING, PENDING);
        List<PlanStep> steps = new ArrayList<>(plan.steps());
        PlanStep record = steps.get(0);
        steps.set(0, record.succeeded(Plans.CREATED,
                EtcdSpaceRecoverPlan.record(List.of("etcd-1", "etcd-3", "etcd-2"), sizes, 16 * MIB)));
        plan = new RecoveryPlan(plan.id(), plan.incidentId(), plan.clusterId(), plan.plan(), null, plan.state(),
                plan.mode(), plan.createdAt(), plan.updatedAt(), plan.detectedAt(), null, plan.message(), 1, steps);

        // when
        RecoveryPlan result = engine(cluster).run(stored(plan));

        // then: the interrupted step finishes the same member, the recorded leader etcd-2 comes last
        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(cluster.violations).isEmpty();
        assertThat(cluster.defragmented).containsExactly("etcd-3", "etcd-2");
        assertThat(result.step(2).attempts()).isEqualTo(1);
        assertThat(result.step(3).attempts()).isEqualTo(2);
        assertThat(result.step(3).output()).contains("defragmented etcd-3");
        assertThat(cluster.alarmed).isEmpty();
    }

    @Test
    void withoutTheRecordedOrderNoDefragmentationStarts() throws Exception {
        FakeSpaceCluster cluster = new FakeSpaceCluster(16 * MIB, 2 * MIB, "etcd-1", "etcd-2", "etcd-3");
        RecoveryPlan plan = Plans.withStates(fresh(cluster), SUCCEEDED, SUCCEEDED, RUNNING);

        RecoveryPlan result = engine(cluster).run(stored(plan));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.step(2).output()).contains("order was not recorded");
        assertThat(cluster.defragmented).isEmpty();
    }

    @Test
    void anAlarmAlreadyDisarmedIsNotDisarmedAgain() throws Exception {
        FakeSpaceCluster cluster = new FakeSpaceCluster(16 * MIB, 2 * MIB, "etcd-1", "etcd-2", "etcd-3");
        cluster.alarmed.clear();

        RecoveryPlan result = engine(cluster).run(stored(fresh(cluster)));

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        PlanStep disarm = result.steps().stream().filter(s -> s.name().equals("disarm-alarm")).findFirst().orElseThrow();
        assertThat(disarm.state()).isEqualTo(StepState.SKIPPED);
        assertThat(disarm.output()).contains("no NOSPACE alarm");
    }
}
