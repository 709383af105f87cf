package dev.cpr.restore.domain.etcd;

import java.util.Optional;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import static dev.cpr.contracts.recovery.StepState.PENDING;
import static dev.cpr.contracts.recovery.StepState.RUNNING;
import static dev.cpr.contracts.recovery.StepState.SKIPPED;
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
import java.nio.file.Files;
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

class EtcdMemberReplacePlanTest {

    @TempDir
    Path snapshots;

    private final FakeEtcdCluster cluster = new FakeEtcdCluster("etcd-1", "etcd-2", "etcd-3");
    private final InMemoryPlanStore store = new InMemoryPlanStore();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private PlanEngine engine;

    @BeforeEach
    void engine() {
        EtcdMemberReplacePlan.Settings settings = new EtcdMemberReplacePlan.Settings(snapshots,
                Duration.ofMillis(100), 5, Duration.ofSeconds(5), Duration.ofSeconds(5));
        engine = new PlanEngine(store,
                plan -> new EtcdMemberReplacePlan(cluster.spec, cluster.member(plan.targetMember()), plan.id(), cluster,
                        cluster, settings, d -> { }).steps(),
                new PlanListener() { }, executor, Clock.fixed(Instant.parse("2026-01-01T10:00:04Z"), ZoneOffset.UTC),
                d -> { });
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private RecoveryPlan stored(RecoveryPlan plan) {
        store.insert(plan);
        return plan;
    }

    /** backup-service's answer about the incident's snapshot, or unreachable. */
    private static final class IncidentCatalog implements SnapshotCatalog {
        Optional<IncidentSnapshot> answer = Optional.empty();
        boolean unreachable;

        @Override
        public Optional<IncidentSnapshot> incidentSnapshot(String clusterId, String incidentId) {
            if (unreachable) {
                throw new CatalogUnavailableException("connection refused");
            }
            return answer;
        }

        @Override
        public Optional<SnapshotRef> newestVerified(String clusterId) {
            return Optional.empty();
        }

        @Override
        public Optional<SnapshotRef> verified(String snapshotId) {
            return Optional.empty();
        }

        @Override
        public long download(String snapshotId, Path target) {
            throw new UnsupportedOperationException();
        }
    }

    private PlanEngine engineWith(IncidentCatalog catalog) {
        EtcdMemberReplacePlan.Settings settings = new EtcdMemberReplacePlan.Settings(snapshots,
                Duration.ofMillis(100), 5, Duration.ofSeconds(5), Duration.ofSeconds(5));
        return new PlanEngine(store,
                plan -> new EtcdMemberReplacePlan(cluster.spec, cluster.member(plan.targetMember()), plan.id(), cluster,
                        cluster, settings, d -> { },
                        new EtcdMemberReplacePlan.SafetySource(catalog, plan.incidentId(), Duration.ofSeconds(1))).steps(),
                new PlanListener() { }, executor, Clock.fixed(Instant.parse("2026-01-01T10:00:04Z"), ZoneOffset.UTC),
                d -> { });
    }

    @Test
    void theSafetySnapshotIsBackupServicesSnapshotOfTheSameIncidentWhenItHasOne() throws Exception {
        IncidentCatalog catalog = new IncidentCatalog();
        catalog.answer = Optional.of(new SnapshotCatalog.IncidentSnapshot("backup-7", "completed", true, 4200L, 10000L,
                "etcd-1"));
        cluster.crash("etcd-2");

        RecoveryPlan result = engineWith(catalog).run(
                stored(Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2"))));

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.steps().get(0).output()).contains("backup-service snapshot backup-7");
        assertThat(cluster.calls("snapshot")).as("no second snapshot streamed").isZero();
    }

    @Test
    void withBackupServiceUnreachableThePlanStreamsItsOwnSafetySnapshotAndSaysWhy() throws Exception {
        IncidentCatalog catalog = new IncidentCatalog();
        catalog.unreachable = true;
        cluster.crash("etcd-2");

        RecoveryPlan result = engineWith(catalog).run(
                stored(Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2"))));

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.steps().get(0).output()).contains("backup-service could not be asked");
        assertThat(cluster.calls("snapshot")).isEqualTo(1);
    }

    @Test
    void aFailedIncidentSnapshotIsNotTrustedAndALocalOneIsTaken() throws Exception {
        IncidentCatalog catalog = new IncidentCatalog();
        catalog.answer = Optional.of(new SnapshotCatalog.IncidentSnapshot("backup-8", "failed", false, null, null,
                "etcd-1"));
        cluster.crash("etcd-2");

        RecoveryPlan result = engineWith(catalog).run(
                stored(Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2"))));

        assertThat(result.steps().get(0).output()).contains("backup-8 for this incident is failed");
        assertThat(cluster.calls("snapshot")).isEqualTo(1);
    }

    @Test
    void aCrashedMemberIsReplacedWithANewMemberIdInTheDocumentedOrder() throws Exception {
        cluster.crash("etcd-2");
        long oldId = cluster.listed("etcd-2").orElseThrow().id();
        RecoveryPlan plan = stored(Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2")));

        RecoveryPlan result = engine.run(plan);

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.steps()).extracting(PlanStep::name).containsExactly("safety-snapshot", "stop-member",
                "member-remove", "wipe-data-dir", "member-add", "start-member", "wait-caught-up", "verify-cluster");
        assertThat(result.steps()).extracting(PlanStep::state).containsExactly(SUCCEEDED, SKIPPED, SUCCEEDED,
                SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED);
        assertThat(result.steps()).filteredOn(PlanStep::destructive).extracting(PlanStep::name)
                .containsExactly("member-remove", "wipe-data-dir");
        assertThat(cluster.listed("etcd-2").orElseThrow().id()).isNotEqualTo(oldId);
        assertThat(cluster.isRunning(cluster.member("etcd-2"))).isTrue();
        assertThat(cluster.lastInitialCluster).isEqualTo(
                "etcd-1=http://127.0.0.1:2380,etcd-3=http://127.0.0.1:2400,etcd-2=http://127.0.0.1:2390");
        assertThat(Files.size(snapshots.resolve("test").resolve("plan-1.db"))).isPositive();
        assertThat(snapshots.resolve("test").resolve("plan-1.db.part")).doesNotExist();
    }

    @Test
    void aRunningButBrokenMemberIsStoppedFirst() throws Exception {
        RecoveryPlan plan = stored(Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2")));

        RecoveryPlan result = engine.run(plan);

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(1).state()).isEqualTo(SUCCEEDED);
        assertThat(cluster.calls("stop")).isEqualTo(1);
    }

    @Test
    void whenTheLostMemberWasTheLeaderTheRemoveWaitsForANewLeaderInsteadOfFailing() throws Exception {
        cluster.crash("etcd-2");
        cluster.leaderWas("etcd-2", 12);
        RecoveryPlan plan = stored(Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2")));

        RecoveryPlan result = engine.run(plan);

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(2).attempts()).isEqualTo(1);
        assertThat(cluster.calls("remove")).isEqualTo(1);
    }

    @Test
    void aSecondMemberLostAfterThePlanWasMadeStandsThePlanDownBeforeAnythingIsRemoved() throws Exception {
        cluster.crash("etcd-2");
        RecoveryPlan plan = stored(Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2")));
        cluster.processDied("etcd-3"); // the correlated loss: the quorum is gone before the plan's first destructive step

        RecoveryPlan result = engine.run(plan);

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.step(2).name()).isEqualTo("member-remove");
        assertThat(result.step(2).attempts()).as("no retry: another attempt cannot bring a quorum back").isEqualTo(1);
        assertThat(result.step(2).output()).contains("the quorum was lost after this plan was made: 1 of the other "
                + "members answer, a quorum needs 2; nothing was removed");
        assertThat(cluster.calls("remove")).isZero();
        assertThat(cluster.listed("etcd-2")).isPresent();
        assertThat(result.steps().subList(3, 8)).extracting(PlanStep::state).containsOnly(PENDING);
    }

    @Test
    void memberAddIsRetriedWhileEtcdAnswersUnhealthyCluster() throws Exception {
        cluster.crash("etcd-2");
        cluster.answerUnhealthyOnAdd(4);
        RecoveryPlan plan = stored(Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2")));

        RecoveryPlan result = engine.run(plan);

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.step(4).attempts()).isEqualTo(5);
        assertThat(cluster.calls("add")).isEqualTo(5);
    }

    @Test
    void aResumedPlanStartsAtTheInterruptedStepAndNeverRepeatsTheStepsBefore() throws Exception {
        // as the service left it when it died: snapshot taken, member stopped and removed, wipe in progress
        cluster.crash("etcd-2");
        cluster.removeMember(cluster.spec, cluster.listed("etcd-2").orElseThrow().id());
        RecoveryPlan plan = stored(Plans.withStates(
                Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2")),
                SUCCEEDED, SUCCEEDED, SUCCEEDED, RUNNING, PENDING));
        int removesBefore = cluster.calls("remove");

        RecoveryPlan result = engine.run(plan);

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(cluster.calls("snapshot")).isZero();
        assertThat(cluster.calls("stop")).isZero();
        assertThat(cluster.calls("remove")).isEqualTo(removesBefore);
        assertThat(result.steps().subList(0, 3)).extracting(PlanStep::attempts).containsOnly(1);
        assertThat(result.steps().subList(0, 3)).extracting(PlanStep::output).containsOnly("done before");
        assertThat(result.step(3).attempts()).isEqualTo(2);
        assertThat(cluster.calls("wipe")).isEqualTo(1);
        assertThat(result.steps()).extracting(PlanStep::state).doesNotContain(StepState.PENDING, StepState.RUNNING);
    }

    @Test
    void aDestructiveStepFoundRunningWhoseWorkIsDoneIsSkippedNotRepeated() throws Exception {
        cluster.crash("etcd-2");
        cluster.removeMember(cluster.spec, cluster.listed("etcd-2").orElseThrow().id());
        RecoveryPlan plan = stored(Plans.withStates(
                Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2")),
                SUCCEEDED, SUCCEEDED, RUNNING));

        RecoveryPlan result = engine.run(plan);

        assertThat(result.step(2).state()).isEqualTo(SKIPPED);
        assertThat(result.step(2).attempts()).isEqualTo(1);
        assertThat(cluster.calls("remove")).isEqualTo(1);
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
    }

    @Test
    void theInitialClusterNamesTheAddedButUnstartedMemberByItsInventoryName() {
        EtcdMemberReplacePlan plan = new EtcdMemberReplacePlan(cluster.spec, cluster.member("etcd-2"), "p", cluster,
                cluster, null, d -> { });

        String flag = plan.initialCluster(List.of(
                new EtcdMember(1, "etcd-1", List.of("http://127.0.0.1:2380"), List.of()),
                new EtcdMember(9, "", List.of("http://127.0.0.1:2390"), List.of())));

        assertThat(flag).isEqualTo("etcd-1=http://127.0.0.1:2380,etcd-2=http://127.0.0.1:2390");
    }
}
