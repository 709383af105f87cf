package dev.cpr.restore.domain.kubespray;

import static dev.cpr.contracts.recovery.StepState.SKIPPED;
import static dev.cpr.contracts.recovery.StepState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.adapters.ansible.AnsiblePlaybookRunner;
import dev.cpr.restore.adapters.ansible.TestKubespray;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole plan through the plan engine: the inventory it writes goes to the real {@code ansible-playbook} running
 * the test playbook (which asserts groups, order, member names and flags), then the cluster is verified against a
 * real etcd cluster of the sandbox.
 */
class KubesprayRecoverControlPlanePlanTest {

    @TempDir
    static Path shared;

    private static EtcdCluster etcd;
    private static ExecutorService executor;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        etcd = EtcdCluster.start(shared.resolve("etcd"), "kubespray-sandbox", 3);
        executor = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        executor.shutdownNow();
        etcd.close();
    }

    /** The sandbox members as a kubespray cluster sees them: node1..3 reached over ssh at 10.0.0.x. */
    private static ClusterSpec kubesprayView(ClusterSpec sandbox) {
        List<MemberSpec> members = new ArrayList<>();
        int i = 1;
        for (MemberSpec m : sandbox.members()) {
            members.add(new MemberSpec(m.name(), m.clientUrl(), m.peerUrl(), m.dataDir(), new NodeAccess(
                    NodeAccess.Type.SSH, null, null, null, "10.0.0." + i, null, null, null, "node" + i)));
            i++;
        }
        return new ClusterSpec(sandbox.id(), sandbox.kind(), sandbox.token(), null, members, null);
    }

    /** Healthy when every sandbox member answers /health. */
    private static Optional<String> sandboxProblem() {
        List<String> down = etcd.members().stream().map(MemberSpec::name).filter(n -> !etcd.isHealthy(n)).toList();
        return down.isEmpty() ? Optional.empty() : Optional.of(down + " not healthy");
    }

    private RecoveryPlan running(String id, ClusterSpec cluster, List<String> broken) {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");
        return new RecoveryPlan(id, "incident-" + id, cluster.id(), KubesprayRecoverControlPlanePlan.NAME,
                KubesprayRecoverControlPlanePlan.target(broken), PlanState.RUNNING, RecoveryMode.AUTO, now, now, now,
                null, "recover", 1, KubesprayRecoverControlPlanePlan.outline(broken));
    }

    private PlanEngine engine(InMemoryPlanStore store, ClusterSpec cluster, Path kubespray, Optional<String> snapshot,
            List<String> lines) {
        KubesprayRecoverControlPlanePlan.Settings settings = new KubesprayRecoverControlPlanePlan.Settings(kubespray,
                Path.of("inventory/" + cluster.id()), dir.resolve("work"), "recover-control-plane.yml", 10, List.of(),
                Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(10), 5);
        return new PlanEngine(store, plan -> new KubesprayRecoverControlPlanePlan(cluster,
                KubesprayRecoverControlPlanePlan.brokenMembers(plan.targetMember()), snapshot, plan.id(),
                new AnsiblePlaybookRunner("ansible-playbook", Map.of()),
                KubesprayRecoverControlPlanePlanTest::sandboxProblem, settings, d -> Thread.sleep(d.toMillis()),
                lines::add).steps(),
                new PlanListener() { }, executor, Clock.systemUTC(), d -> { });
    }

    @Test
    void theRunbooksInventoryAndFlagsReachKubesprayAndTheClusterIsVerified() throws Exception {
        // given a kubespray cluster whose etcd-1 (on node1) broke, and a checkout whose group_vars must apply
        ClusterSpec cluster = kubesprayView(etcd.spec());
        Path kubespray = TestKubespray.checkout(dir.resolve("kubespray"), List.of("node2", "node3", "node1"),
                List.of("node1"), Map.of("node1", "etcd-1", "node2", "etcd-2", "node3", "etcd-3"),
                Map.of("node1", "10.0.0.1", "node3", "10.0.0.3"), "/backup/etcd.db", 0);
        Path groupVars = Files.createDirectories(kubespray.resolve("inventory").resolve(cluster.id()).resolve("group_vars"));
        Files.writeString(groupVars.resolve("all.yml"), "cluster_name: kubespray-sandbox\n");
        InMemoryPlanStore store = new InMemoryPlanStore();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        RecoveryPlan plan = running("k-1", cluster, List.of("etcd-1"));
        store.insert(plan);

        // when the plan runs
        RecoveryPlan done = engine(store, cluster, kubespray, Optional.of("/backup/etcd.db"), lines).run(plan);

        // then kubespray's playbook accepted inventory and flags, its output was streamed and kept, the cluster verified
        assertThat(done.state()).as(done.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(done.steps()).extracting(PlanStep::state).containsExactly(SUCCEEDED, SUCCEEDED, SUCCEEDED);
        assertThat(lines).anyMatch(l -> l.contains("cpr-test-playbook: all assertions passed on node2"));
        PlanStep run = done.step(1);
        assertThat(run.destructive()).isTrue();
        assertThat(run.output()).contains("--limit etcd,kube_control_plane -e etcd_retries=10 -e etcd_snapshot=/backup/etcd.db")
                .contains("exit 0").contains("PLAY RECAP");
        assertThat(done.step(2).output()).isEqualTo("3/3 members listed and healthy, one leader");
        Path planDir = dir.resolve("work").resolve(cluster.id()).resolve("k-1");
        assertThat(Files.readString(planDir.resolve("hosts.ini"))).contains("[broken_etcd]\nnode1 etcd_member_name=etcd-1\n");
        assertThat(Files.readSymbolicLink(planDir.resolve("group_vars"))).isEqualTo(groupVars.toAbsolutePath().normalize());
        assertThat(Files.readString(planDir.resolve("recover-control-plane.log"))).contains("PLAY RECAP");
        assertThat(store.saved).extracting(RecoveryPlan::sequence).doesNotHaveDuplicates();
        // and while it ran, the step's output so far was stored (what Slack and the dashboard show live)
        assertThat(store.saved).map(saved -> saved.step(1))
                .anySatisfy(live -> {
                    assertThat(live.state()).isEqualTo(StepState.RUNNING);
                    assertThat(live.output()).startsWith("ansible-playbook running, log ").contains("PLAY [");
                });
    }

    @Test
    void aResumedPlanNeverRunsThePlaybookAgain() throws Exception {
        // given a plan that ran the playbook and was killed before it was stored as done
        ClusterSpec cluster = kubesprayView(etcd.spec());
        Path kubespray = TestKubespray.checkout(dir.resolve("kubespray"), List.of("node1", "node2", "node3"),
                List.of("node3"), Map.of("node3", "etcd-3"), Map.of(), null, 0);
        InMemoryPlanStore store = new InMemoryPlanStore();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        RecoveryPlan plan = running("k-2", cluster, List.of("etcd-3"));
        store.insert(plan);
        RecoveryPlan first = engine(store, cluster, kubespray, Optional.empty(), lines).run(plan);
        assertThat(first.state()).as(first.message()).isEqualTo(PlanState.SUCCEEDED);
        RecoveryPlan interrupted = store.saved.stream()
                .filter(p -> p.step(1).state() == StepState.RUNNING).findFirst().orElseThrow();
        int linesBefore = lines.size();

        // when it resumes from the stored state with the playbook step RUNNING
        store.insert(interrupted);
        RecoveryPlan resumed = engine(store, cluster, kubespray, Optional.empty(), lines).run(interrupted);

        // then the playbook step is recognised as done and skipped: ansible-playbook did not run again
        assertThat(resumed.state()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(resumed.step(1).state()).isEqualTo(SKIPPED);
        assertThat(resumed.step(1).output()).contains("recover-control-plane already ran: exit 0");
        assertThat(lines).hasSize(linesBefore);
    }

    @Test
    void anInventoryEditedIntoAnUnknownGroupIsRefusedBeforeAnsibleRuns() throws Exception {
        // given a plan resumed after its inventory was written, and the file since edited by hand
        ClusterSpec cluster = kubesprayView(etcd.spec());
        InMemoryPlanStore store = new InMemoryPlanStore();
        RecoveryPlan plan = running("k-4", cluster, List.of("etcd-3"));
        plan = plan.withStep(plan.step(0).attemptStarted(Instant.now()).succeeded(Instant.now(), "wrote"), Instant.now());
        store.insert(plan);
        Path planDir = Files.createDirectories(dir.resolve("work").resolve(cluster.id()).resolve("k-4"));
        Files.writeString(planDir.resolve("hosts.ini"), "[all]\nnode1\nnode2\nnode3\n\n[etcd]\nnode1\nnode2\nnode3\n\n"
                + "[kube_control_plane]\nnode1\nnode2\nnode3\n\n[etcd_broken]\nnode3\n\n[broken_etcd]\nnode3\n");
        List<PlaybookRun> started = Collections.synchronizedList(new ArrayList<>());
        KubesprayRecoverControlPlanePlan.Settings settings = new KubesprayRecoverControlPlanePlan.Settings(dir,
                null, dir.resolve("work"), "recover-control-plane.yml", 10, List.of(), Duration.ofSeconds(60),
                Duration.ofMillis(100), Duration.ofSeconds(10), 5);
        PlaybookRunner recording = (run, out) -> {
            started.add(run);
            return new PlaybookRunner.Result(List.of(), 0, false, Duration.ZERO, 0, List.of());
        };
        PlanEngine engine = new PlanEngine(store, p -> new KubesprayRecoverControlPlanePlan(cluster,
                List.of("etcd-3"), Optional.empty(), p.id(), recording, KubesprayRecoverControlPlanePlanTest::sandboxProblem,
                settings, d -> { }, l -> { }).steps(), new PlanListener() { }, executor, Clock.systemUTC(), d -> { });

        // when it runs on
        RecoveryPlan done = engine.run(plan);

        // then the playbook step fails naming what is wrong, and ansible-playbook was never started
        assertThat(done.state()).isEqualTo(PlanState.FAILED);
        assertThat(done.step(1).output()).contains("ansible-playbook not run").contains("unknown group [etcd_broken]")
                .contains("broken_etcd host node3 has no etcd_member_name");
        assertThat(started).isEmpty();
    }

    @Test
    void aFailingPlaybookFailsThePlanWithItsLastLinesAndIsNotRetried() throws Exception {
        // given a checkout whose playbook expects node2 as the broken one, while the plan says etcd-1
        ClusterSpec cluster = kubesprayView(etcd.spec());
        Path kubespray = TestKubespray.checkout(dir.resolve("kubespray"), List.of("node1", "node3", "node2"),
                List.of("node2"), Map.of(), Map.of(), null, 0);
        InMemoryPlanStore store = new InMemoryPlanStore();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        RecoveryPlan plan = running("k-3", cluster, List.of("etcd-1"));
        store.insert(plan);

        RecoveryPlan done = engine(store, cluster, kubespray, Optional.empty(), lines).run(plan);

        assertThat(done.state()).isEqualTo(PlanState.FAILED);
        assertThat(done.step(1).state()).isEqualTo(StepState.FAILED);
        assertThat(done.step(1).attempts()).isEqualTo(1);
        assertThat(done.step(1).output()).contains("ansible-playbook exited with 2")
                .contains("fatal: [node2]: FAILED! => {").contains("inventory_hostname == expected.etcd[0]");
        assertThat(done.step(2).state()).isEqualTo(StepState.PENDING);
        assertThat(dir.resolve("work").resolve(cluster.id()).resolve("k-3").resolve("recover-control-plane.done"))
                .doesNotExist();
    }
}
