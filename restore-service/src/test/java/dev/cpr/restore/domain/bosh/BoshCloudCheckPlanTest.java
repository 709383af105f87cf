package dev.cpr.restore.domain.bosh;

import static dev.cpr.contracts.recovery.StepState.PENDING;
import static dev.cpr.contracts.recovery.StepState.SKIPPED;
import static dev.cpr.contracts.recovery.StepState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.etcd.FakeEtcdCluster;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoshCloudCheckPlanTest {

    private static final String DEPLOYMENT = "service-instance_56c19cfc";
    private static final String MASTER_2 = "master/9b8ad6e0-a438-4033-9767-46c586fb4771";

    @TempDir
    Path snapshots;

    private final FakeEtcdCluster etcd = new FakeEtcdCluster("etcd-1", "etcd-2", "etcd-3");
    private final FakeBoshDirector director = new FakeBoshDirector("master/a1", MASTER_2, "master/c3");
    private final ClusterSpec cluster = boshCluster(etcd.spec);
    private final InMemoryPlanStore store = new InMemoryPlanStore();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** The fake's members as the inventory of a BOSH cluster has them: each on its master instance. */
    private static ClusterSpec boshCluster(ClusterSpec etcd) {
        List<String> instances = List.of("master/a1", MASTER_2, "master/c3");
        List<MemberSpec> members = etcd.members().stream().map(m -> new MemberSpec(m.name(), m.clientUrl(), m.peerUrl(),
                m.dataDir(), new NodeAccess(NodeAccess.Type.BOSH, null, null, null, null, null, null, DEPLOYMENT,
                        instances.get(etcd.members().indexOf(m))))).toList();
        return new ClusterSpec(etcd.id(), ClusterKind.BOSH, null, null, members, null,
                new BoshSpec("https://director:25555", DEPLOYMENT, "master", "ops_manager", null, "BOSH_SECRET", null,
                        null), null);
    }

    private RecoveryPlan run(RecoveryPlan plan) throws InterruptedException {
        store.insert(plan);
        EtcdMemberReplacePlan.Settings settings = new EtcdMemberReplacePlan.Settings(snapshots, Duration.ofMillis(10),
                5, Duration.ofSeconds(5), Duration.ofSeconds(5));
        PlanEngine engine = new PlanEngine(store, stored -> {
            MemberSpec target = cluster.member(stored.targetMember()).orElseThrow();
            EtcdMemberReplacePlan replace = new EtcdMemberReplacePlan(cluster, target, stored.id(), etcd, etcd, settings,
                    d -> { });
            return new BoshCloudCheckPlan(cluster, target, director, etcd, replace,
                    new BoshCloudCheckPlan.Settings(Duration.ofMillis(10), Duration.ofSeconds(1)), d -> { },
                    stored.steps()).steps();
        }, new PlanListener() { }, executor, Clock.fixed(Instant.parse("2026-01-01T10:00:04Z"), ZoneOffset.UTC),
                d -> { });
        return engine.run(plan);
    }

    private static RecoveryPlan newPlan() {
        return Plans.running(PlanNames.BOSH_CLOUD_CHECK, BoshCloudCheckPlan.outline("etcd-2", MASTER_2));
    }

    private static StepState state(RecoveryPlan plan, String step) {
        return step(plan, step).state();
    }

    private static PlanStep step(RecoveryPlan plan, String step) {
        return plan.steps().stream().filter(s -> s.name().equals(step)).findFirst().orElseThrow();
    }

    @Test
    void theOutlineIsTheCloudCheckThenTheMemberReplaceOfTheSameMember() {
        List<PlanStep> outline = BoshCloudCheckPlan.outline("etcd-2", MASTER_2);

        assertThat(outline).extracting(PlanStep::name).containsExactly("scan", "resolve", "await-vm",
                "safety-snapshot", "stop-member", "member-remove", "wipe-data-dir", "member-add", "start-member",
                "wait-caught-up", "verify-cluster");
        assertThat(outline).extracting(PlanStep::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(outline).filteredOn(PlanStep::destructive).extracting(PlanStep::name)
                .containsExactly("member-remove", "wipe-data-dir");
        assertThat(outline.get(1).description()).contains(MASTER_2).contains("etcd-2");
    }

    @Test
    void aMissingVmIsRecreatedAndWhenEtcdIsHealthyAfterwardsTheMemberReplaceIsSkipped() throws Exception {
        // given master 2's VM is gone with its etcd member, and a recreate brings etcd back healthy
        director.deleteVm(MASTER_2);
        etcd.crash("etcd-2");
        director.onRecreate = instance -> etcd.start(cluster, cluster.member("etcd-2").orElseThrow(), "");

        // when the plan runs
        RecoveryPlan result = run(newPlan());

        // then the missing VM was resolved with recreate_vm and nothing else was touched
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(director.resolved).containsExactly("1=recreate_vm");
        assertThat(step(result, "scan").output()).contains("missing_vm").contains(MASTER_2);
        assertThat(step(result, "resolve").output()).contains("recreate_vm for missing_vm 1: 1 resolved");
        assertThat(state(result, "await-vm")).isEqualTo(SKIPPED);
        assertThat(result.steps().subList(3, 11)).extracting(PlanStep::state).containsOnly(SKIPPED);
        assertThat(result.steps().subList(3, 11)).extracting(PlanStep::output)
                .allSatisfy(o -> assertThat(o).startsWith("etcd on etcd-2 healthy after recreate"));
        assertThat(etcd.calls("stop")).isZero();
        assertThat(etcd.calls("remove")).isZero();
        assertThat(etcd.calls("wipe")).isZero();
    }

    @Test
    void aVmLostJustAfterAScanThatFoundNothingIsRecreatedWhileTheVmIsAwaited() throws Exception {
        // given etcd-2 seen down while master 2's VM still looked fine to the director, the VM gone just after the scan
        etcd.crash("etcd-2");
        director.afterNextScan = () -> director.deleteVm(MASTER_2);
        director.onRecreate = instance -> etcd.start(cluster, cluster.member("etcd-2").orElseThrow(), "");

        // when the plan runs
        RecoveryPlan result = run(newPlan());

        // then the scan found nothing to resolve, and the wait for the VM scanned again and recreated it
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(state(result, "resolve")).isEqualTo(SKIPPED);
        assertThat(step(result, "await-vm").output()).contains("its VM went missing after the scan: "
                + "recreate_vm for missing_vm");
        assertThat(director.scans).isEqualTo(2);
        assertThat(director.resolved).hasSize(1).allSatisfy(r -> assertThat(r).endsWith("=recreate_vm"));
        assertThat(result.steps().subList(3, 11)).extracting(PlanStep::state).containsOnly(SKIPPED);
        assertThat(etcd.calls("remove") + etcd.calls("wipe")).isZero();
    }

    @Test
    void whenEtcdStillFailsOnTheRecreatedVmTheMemberIsReplacedThroughTheNodeAccess() throws Exception {
        // given seed 001: master 2's WAL and VM are gone; the recreate task fails because etcd does not start again
        director.deleteVm(MASTER_2);
        etcd.crash("etcd-2");
        director.recreateError = "'" + MASTER_2 + " (0)' is not running after update. Review logs for failed jobs: etcd";

        // when the plan runs
        RecoveryPlan result = run(newPlan());

        // then the VM is back, the director's text is kept, and the member replace steps ran
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(step(result, "resolve").state()).isEqualTo(SUCCEEDED);
        assertThat(step(result, "resolve").output()).contains("is not running after update")
                .contains("the VM is back");
        assertThat(result.steps().subList(4, 11)).extracting(PlanStep::state)
                .containsExactly(SKIPPED, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED);
        assertThat(state(result, "safety-snapshot")).isEqualTo(SUCCEEDED);
        assertThat(etcd.calls("remove")).isEqualTo(1);
        assertThat(etcd.calls("wipe")).isEqualTo(1);
        assertThat(etcd.calls("add")).isEqualTo(1);
        assertThat(etcd.listed("etcd-2")).isPresent();
    }

    @Test
    void aFailingJobWithoutACloudCheckProblemGoesStraightToTheMemberReplace() throws Exception {
        // given master 2 keeps its VM but etcd on it fails (monit: Execution failed)
        etcd.crash("etcd-2");

        // when the plan runs
        RecoveryPlan result = run(newPlan());

        // then there was nothing to resolve, and the member was replaced
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(state(result, "resolve")).isEqualTo(SKIPPED);
        assertThat(step(result, "resolve").output()).contains("the scan found no problem with " + MASTER_2);
        assertThat(director.resolved).isEmpty();
        assertThat(state(result, "member-remove")).isEqualTo(SUCCEEDED);
        assertThat(state(result, "verify-cluster")).isEqualTo(SUCCEEDED);
    }

    @Test
    void aProblemTypeARecreateDoesNotFixFailsThePlanAtOnceForAPersonToLook() throws Exception {
        // given the scan finds master 2's persistent disk missing
        etcd.crash("etcd-2");
        director.extraProblems.add(new BoshDirector.Problem(40, "missing_disk",
                "Disk 'disk-1' (" + MASTER_2 + ", 0) is missing", FakeBoshDirector.RESOLUTIONS));

        // when the plan runs
        RecoveryPlan result = run(newPlan());

        // then it fails at resolve on the first attempt, nothing resolved, nothing of etcd touched
        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(state(result, "resolve")).isEqualTo(StepState.FAILED);
        assertThat(step(result, "resolve").attempts()).isEqualTo(1);
        assertThat(step(result, "resolve").output()).contains("a person must look").contains("missing_disk");
        assertThat(director.resolved).isEmpty();
        assertThat(result.steps().subList(2, 11)).extracting(PlanStep::state).containsOnly(PENDING);
        assertThat(etcd.calls("stop")).isZero();
    }

    @Test
    void aRecreateTaskErrorWithoutTheVmBackFailsTheStepWithTheDirectorsText() throws Exception {
        // given the recreate fails and leaves no VM (the IaaS refused it)
        director.deleteVm(MASTER_2);
        etcd.crash("etcd-2");
        director.recreateError = "CPI error 'Bosh::Clouds::VMCreationFailed' with message 'no capacity in pks-az1'";
        director.vmAfterFailure = false;

        // when the plan runs
        RecoveryPlan result = run(newPlan());

        // then resolve fails with the director's text after its attempts, and nothing of etcd was touched
        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(state(result, "resolve")).isEqualTo(StepState.FAILED);
        assertThat(step(result, "resolve").output()).contains("VMCreationFailed").contains("no capacity in pks-az1");
        assertThat(etcd.calls("remove")).isZero();
    }

    @Test
    void anUnresponsiveAgentIsRecreatedToo() throws Exception {
        director.agentUnresponsive(MASTER_2);
        etcd.crash("etcd-2");
        director.onRecreate = instance -> etcd.start(cluster, cluster.member("etcd-2").orElseThrow(), "");

        RecoveryPlan result = run(newPlan());

        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(step(result, "resolve").output()).contains("unresponsive_agent");
        assertThat(state(result, "verify-cluster")).isEqualTo(SKIPPED);
    }

    @Test
    void aResumedPlanWhoseMemberReplaceHadBegunGoesOnEvenThoughEtcdAnswersAgain() throws Exception {
        // given a plan stopped right after its safety snapshot (the replace had begun), etcd on etcd-2 answering
        RecoveryPlan resumed = Plans.withStates(newPlan(), SUCCEEDED, SKIPPED, SKIPPED, SUCCEEDED);
        java.nio.file.Files.createDirectories(snapshots.resolve("test"));
        java.nio.file.Files.writeString(snapshots.resolve("test").resolve("plan-1.db"), "snapshot");

        // when it runs again
        RecoveryPlan result = run(resumed);

        // then the member replace is finished, not skipped as "healthy after recreate"
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(state(result, "stop-member")).isEqualTo(SUCCEEDED);
        assertThat(state(result, "member-remove")).isEqualTo(SUCCEEDED);
        assertThat(state(result, "wipe-data-dir")).isEqualTo(SUCCEEDED);
        assertThat(etcd.calls("remove")).isEqualTo(1);
    }

    @Test
    void aResumedPlanThatFoundEtcdHealthyKeepsSkippingTheMemberReplace() throws Exception {
        // given a plan stopped after it skipped the safety snapshot as healthy after recreate, etcd on etcd-2 down now
        RecoveryPlan plan = Plans.withStates(newPlan(), SUCCEEDED, SUCCEEDED, SKIPPED, SKIPPED);
        PlanStep skipped = plan.step(3);
        plan = plan.withStep(new PlanStep(3, skipped.name(), skipped.description(), false, SKIPPED, 0,
                skipped.startedAt(), skipped.finishedAt(), "etcd on etcd-2 healthy after recreate (member id 65)"),
                Plans.CREATED);
        etcd.crash("etcd-2");

        // when it runs again
        RecoveryPlan result = run(plan);

        // then the decision taken before stands: a new incident, not this plan, handles the new failure
        assertThat(result.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.steps().subList(4, 11)).extracting(PlanStep::state).containsOnly(SKIPPED);
        assertThat(etcd.calls("stop")).isZero();
    }
}
