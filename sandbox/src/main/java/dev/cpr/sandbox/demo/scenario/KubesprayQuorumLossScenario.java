package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.kubespray.KubesprayCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Seed 004 without quorum: a verified snapshot of the kubespray cluster is taken through backup-service, 100 keys
 * are written after it, then node2 and node3 lose their etcd data at once. cpr must propose recover-control-plane
 * with the snapshot, wait for the approval (given over REST), fetch and check the snapshot, and run the real
 * ansible-playbook with {@code -e etcd_snapshot}: node1 restored as a one-member cluster, the others added back.
 * Exactly the keys written after the snapshot are lost; the control plane is restarted on every node.
 */
public final class KubesprayQuorumLossScenario extends ClusterRecoveryScenario {

    public static final String NAME = "kubespray-quorum-loss";
    static final int KEYS = 1_000;
    static final int KEYS_AFTER_SNAPSHOT = 100;
    static final List<String> VICTIMS = List.of("etcd2", "etcd3");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "seed 004: snapshot the kubespray cluster (verified), write 100 more keys, lose the etcd data of two "
                + "of three nodes, approve over REST, wait for recover-control-plane.yml to restore from the snapshot";
    }

    @Override
    protected EtcdCluster cluster(World world) {
        return world.kubespray().etcd();
    }

    @Override
    protected String clusterId(World world) {
        return world.kubespray().clusterId();
    }

    @Override
    protected ScenarioResult play(ClusterRun run) throws IOException, InterruptedException {
        ScenarioResult result = run.result();
        World world = run.world();
        KubesprayCluster cluster = world.kubespray();
        EtcdCluster etcd = run.etcd();
        String clusterId = run.clusterId();
        String backup = world.service(CprService.BACKUP_SERVICE).url();
        result.put("detected_ms", null).put("approved_ms", null).put("recovered_ms", null)
                .put("keys_before", null).put("keys_after", null).put("rpo_keys_lost", null).put("playbook_exit", null);
        etcd.putKeys("/registry/" + NAME + "/", KEYS);

        run.say(etcd.countKeys() + " keys; taking a snapshot through backup-service");
        JsonNode verified = ServiceCalls.takeVerifiedSnapshot(world, clusterId, Duration.ofSeconds(120));
        String backupId = verified.get("backupId").asText();
        long snapshotKeys = verified.get("keyCount").asLong();
        result.put("snapshot_id", backupId).put("snapshot_keys", snapshotKeys);

        etcd.putKeys("/registry/" + NAME + "/after-snapshot/", KEYS_AFTER_SNAPSHOT);
        long keysBefore = etcd.countKeys();
        Map<String, Integer> restartsBefore = KubesprayRuns.restarts(cluster);
        result.put("keys_before", keysBefore);

        run.say("snapshot " + backupId + " verified (" + snapshotKeys + " keys); " + keysBefore
                + " keys now; " + VICTIMS + " lose their data at once");
        run.inject();
        // both at once, so health-monitor sees the quorum loss rather than one member first
        CompletableFuture.allOf(VICTIMS.stream().map(v -> CompletableFuture.runAsync(() -> cluster.loseMember(v)))
                .toArray(CompletableFuture[]::new)).join();

        IncidentOpened incident = run.awaitIncident(FailureKind.QUORUM_LOST);
        RecoveryUpdate plan = run.awaitProposal(incident);
        result.put("plan", plan.plan()).put("plan_id", plan.planId());
        if (plan.state() != PlanState.AWAITING_APPROVAL) {
            result.put("plan_state", plan.state().name());
            throw run.fail("plan " + plan.planId() + " is " + plan.state() + ": " + plan.message());
        }
        run.approve(plan, "kubespray quorum-loss scenario");

        RecoveryUpdate done = run.awaitPlanEnd(plan.planId(), KubesprayMemberLossScenario.PLAN_TIMEOUT,
                "the plan did not finish within " + KubesprayMemberLossScenario.PLAN_TIMEOUT.toSeconds()
                        + " s of the approval");
        String output = KubesprayRuns.runStepOutput(world, done.planId());
        result.put("plan_state", done.state().name()).put("rpo_seconds", done.rpoSeconds())
                .put("rto_ms", done.rtoMillis()).put("playbook_exit", KubesprayRuns.exitCode(output))
                .put("restored_from_snapshot", output.contains("etcd_snapshot="))
                .put("playbook_live_updates", KubesprayRuns.liveOutputUpdates(run.events(), done.planId()));
        run.requireSucceeded(done);
        etcd.awaitHealthy(Duration.ofSeconds(30));
        long recoveredMs = run.msSinceInjection();
        long keysAfter = etcd.countKeys();
        long lost = keysBefore - keysAfter;
        long restarted = KubesprayRuns.restartedSince(cluster, restartsBefore);
        result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter).put("rpo_keys_lost", lost)
                .put("restarted_components", restarted);
        run.say("plan " + done.planId() + " SUCCEEDED, playbook exit " + result.get("playbook_exit")
                + ", keys " + keysBefore + " -> " + keysAfter + " (" + lost + " written after the snapshot lost), "
                + restarted + " component restarts");
        return result.ok(keysAfter == snapshotKeys && lost == keysBefore - snapshotKeys
                && Integer.valueOf(0).equals(result.get("playbook_exit"))
                && Boolean.TRUE.equals(result.get("restored_from_snapshot"))
                && ((Long) result.get("playbook_live_updates")) > 0
                && restarted == (long) cluster.nodes().size() * KubesprayCluster.COMPONENTS.size());
    }
}
