package dev.cpr.restore.domain.kubespray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.adapters.ansible.AnsiblePlaybookRunner;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.sandbox.kubespray.KubesprayCluster;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan against the sandbox's kubespray cluster: real etcd members, real sshd per node, the real ansible-playbook
 * running the sandbox's stand-in recover-control-plane.yml. A node unreachable over ssh halfway fails the plan with
 * the failing task and host in the step output; once the node is back, a second plan completes.
 */
class KubesprayRecoverControlPlaneOverSshTest {

    @TempDir
    Path dir;

    private KubesprayCluster cluster;
    private ExecutorService executor;

    @BeforeEach
    void start() {
        cluster = KubesprayCluster.start(dir.resolve("kubespray"));
        executor = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        cluster.close();
    }

    private Optional<String> problem() {
        List<String> down = cluster.inventorySpec().members().stream().map(MemberSpec::name)
                .filter(n -> !cluster.etcd().isHealthy(n)).toList();
        return down.isEmpty() ? Optional.empty() : Optional.of(down + " not healthy");
    }

    private RecoveryPlan run(String id, List<String> broken, List<String> lines) throws InterruptedException {
        ClusterSpec spec = cluster.inventorySpec();
        Instant now = Instant.now();
        RecoveryPlan plan = new RecoveryPlan(id, "incident-" + id, spec.id(), KubesprayRecoverControlPlanePlan.NAME,
                KubesprayRecoverControlPlanePlan.target(broken), PlanState.RUNNING, RecoveryMode.AUTO, now, now, now,
                null, "recover", 1, KubesprayRecoverControlPlanePlan.outline(broken));
        InMemoryPlanStore store = new InMemoryPlanStore();
        store.insert(plan);
        KubesprayRecoverControlPlanePlan.Settings settings = new KubesprayRecoverControlPlanePlan.Settings(
                cluster.checkoutDir(), Path.of("inventory/" + spec.id()), dir.resolve("work"),
                "recover-control-plane.yml", 10, List.of(), Duration.ofMinutes(10), Duration.ofMillis(200),
                Duration.ofSeconds(30), 30);
        PlanEngine engine = new PlanEngine(store, p -> new KubesprayRecoverControlPlanePlan(spec, broken,
                Optional.empty(), p.id(), new AnsiblePlaybookRunner("ansible-playbook", Map.of()), this::problem,
                settings, d -> Thread.sleep(d.toMillis()), lines::add).steps(),
                new PlanListener() { }, executor, Clock.systemUTC(), d -> { });
        return engine.run(plan);
    }

    @Test
    void aNodeUnreachableHalfwayFailsThePlanNamingTaskAndHostAndASecondRunAfterItIsBackCompletes() throws Exception {
        // given etcd3's data lost on node3, and node3's sshd down as well
        cluster.etcd().putKeys("/registry/pods/", 300);
        cluster.loseMember("etcd3");
        cluster.node("node3").ssh().stop();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());

        // when cpr runs recover-control-plane
        RecoveryPlan failed = run("over-ssh-1", List.of("etcd3"), lines);

        // then the playbook got halfway (the broken member removed) and failed on node3, which the step output names
        assertThat(failed.state()).isEqualTo(PlanState.FAILED);
        PlanStep step = failed.step(1);
        assertThat(step.state()).isEqualTo(StepState.FAILED);
        assertThat(step.output()).containsPattern("ansible-playbook exited with [24] ").contains("fatal: [node3]: UNREACHABLE!")
                .containsPattern("TASK \\[etcd_member_join : [^\\]]+\\] fatal: \\[node3\\]");
        assertThat(lines).anyMatch(l -> l.startsWith("TASK [recover_control_plane/etcd : Remove broken cluster members]"));
        assertThat(failed.step(2).state()).isEqualTo(StepState.PENDING);

        // when node3 is reachable again and a second plan runs
        cluster.node("node3").ssh().start();
        RecoveryPlan second = run("over-ssh-2", List.of("etcd3"), lines);

        // then it completes: etcd3 is a member again, empty and caught up, and no key was lost
        assertThat(second.state()).as(second.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(second.step(1).output()).contains("exit 0").contains("PLAY RECAP");
        assertThat(cluster.etcd().countKeys()).isEqualTo(300);
        assertThat(cluster.envFile("etcd3")).contains("ETCD_INITIAL_CLUSTER_STATE=existing");
        assertThat(cluster.restarts("node3", "kubelet")).isEqualTo(1);
    }
}
