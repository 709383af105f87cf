package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Seed 004 without quorum: a verified snapshot of the kubespray cluster is taken through backup-service, 100 keys
 * are written after it, then node2 and node3 lose their etcd data at once. cpr must propose recover-control-plane
 * with the snapshot, wait for the approval (given over REST), fetch and check the snapshot, and run the real
 * ansible-playbook with {@code -e etcd_snapshot}: node1 restored as a one-member cluster, the others added back.
 * Exactly the keys written after the snapshot are lost; the control plane is restarted on every node.
 */
public final class KubesprayQuorumLossScenario implements Scenario {

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
    public ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(NAME);
        KubesprayCluster cluster = world.kubespray();
        EtcdCluster etcd = cluster.etcd();
        String clusterId = cluster.clusterId();
        String backup = world.service(CprService.BACKUP_SERVICE).url();
        String restore = world.service(CprService.RESTORE_SERVICE).url();
        String operator = world.tokens().operator();
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(),
                Topics.INCIDENTS, Topics.RECOVERIES)) {
            etcd.awaitHealthy(Duration.ofSeconds(30));
            Preconditions.awaitNoOpenIncident(world, clusterId, Duration.ofSeconds(60));
            result.put("detected_ms", null).put("approved_ms", null).put("recovered_ms", null)
                    .put("keys_before", null).put("keys_after", null).put("rpo_keys_lost", null).put("playbook_exit", null);
            etcd.putKeys("/registry/" + NAME + "/", KEYS);

            progress.say(NAME + ": " + etcd.countKeys() + " keys; taking a snapshot through backup-service");
            JsonNode started = ServiceCalls.send(backup + "/api/v1/backups", "POST", "{\"cluster\":\"" + clusterId + "\"}",
                    operator, 202);
            String backupId = started.get("backupId").asText();
            JsonNode verified = ServiceCalls.awaitVerifiedBackup(backup + "/api/v1/backups/" + backupId,
                    world.tokens().viewer(), Duration.ofSeconds(120));
            long snapshotKeys = verified.get("keyCount").asLong();
            result.put("snapshot_id", backupId).put("snapshot_keys", snapshotKeys);

            etcd.putKeys("/registry/" + NAME + "/after-snapshot/", KEYS_AFTER_SNAPSHOT);
            long keysBefore = etcd.countKeys();
            Map<String, Integer> restartsBefore = KubesprayRuns.restarts(cluster);
            result.put("keys_before", keysBefore);

            progress.say(NAME + ": snapshot " + backupId + " verified (" + snapshotKeys + " keys); " + keysBefore
                    + " keys now; " + VICTIMS + " lose their data at once");
            Instant injected = Instant.now();
            // both at once, so health-monitor sees the quorum loss rather than one member first
            CompletableFuture.allOf(VICTIMS.stream().map(v -> CompletableFuture.runAsync(() -> cluster.loseMember(v)))
                    .toArray(CompletableFuture[]::new)).join();

            Optional<EventWatcher.Seen> opened = events.awaitIncidentOpened(clusterId, FailureKind.QUORUM_LOST, Duration.ofSeconds(30));
            if (opened.isEmpty()) {
                return result.put("error", "no incident.opened with QUORUM_LOST within 30 s");
            }
            IncidentOpened incident = opened.get().data(IncidentOpened.class);
            result.put("detected_ms", Duration.between(injected, incident.detectedAt()).toMillis());
            progress.say(NAME + ": incident " + incident.incidentId() + " opened: " + incident.summary());

            Optional<EventWatcher.Seen> proposed = events.await(s -> EventTypes.RECOVERY_UPDATED.equals(s.event().type())
                    && incident.incidentId().equals(s.data(RecoveryUpdate.class).incidentId())
                    && (s.data(RecoveryUpdate.class).state() == PlanState.AWAITING_APPROVAL
                    || s.data(RecoveryUpdate.class).state().isFinal()), Duration.ofSeconds(30));
            if (proposed.isEmpty()) {
                return result.put("error", "no plan awaiting approval within 30 s of the incident");
            }
            RecoveryUpdate plan = proposed.get().data(RecoveryUpdate.class);
            result.put("plan", plan.plan()).put("plan_id", plan.planId());
            if (plan.state() != PlanState.AWAITING_APPROVAL) {
                return result.put("plan_state", plan.state().name())
                        .put("error", "plan " + plan.planId() + " is " + plan.state() + ": " + plan.message());
            }
            progress.say(NAME + ": plan " + plan.planId() + " awaits approval: " + plan.message() + "; approving");
            ServiceCalls.send(restore + "/api/v1/recoveries/" + plan.planId() + "/approve", "POST",
                    "{\"reason\":\"kubespray quorum-loss scenario\"}", operator, 200);
            result.put("approved_ms", Duration.between(injected, Instant.now()).toMillis());

            Optional<EventWatcher.Seen> finished = events.await(s -> EventTypes.RECOVERY_UPDATED.equals(s.event().type())
                    && plan.planId().equals(s.data(RecoveryUpdate.class).planId())
                    && s.data(RecoveryUpdate.class).state().isFinal(), KubesprayMemberLossScenario.PLAN_TIMEOUT);
            if (finished.isEmpty()) {
                return result.put("error", "the plan did not finish within "
                        + KubesprayMemberLossScenario.PLAN_TIMEOUT.toSeconds() + " s of the approval");
            }
            RecoveryUpdate done = finished.get().data(RecoveryUpdate.class);
            String output = KubesprayRuns.runStepOutput(world, done.planId());
            result.put("plan_state", done.state().name()).put("rpo_seconds", done.rpoSeconds())
                    .put("rto_ms", done.rtoMillis()).put("playbook_exit", KubesprayRuns.exitCode(output))
                    .put("restored_from_snapshot", output.contains("etcd_snapshot="))
                    .put("playbook_live_updates", KubesprayRuns.liveOutputUpdates(events, done.planId()));
            if (done.state() != PlanState.SUCCEEDED) {
                return result.put("error", "plan " + done.planId() + " ended " + done.state() + ": " + done.message());
            }
            etcd.awaitHealthy(Duration.ofSeconds(30));
            long recoveredMs = Duration.between(injected, Instant.now()).toMillis();
            long keysAfter = etcd.countKeys();
            long lost = keysBefore - keysAfter;
            long restarted = KubesprayRuns.restartedSince(cluster, restartsBefore);
            result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter).put("rpo_keys_lost", lost)
                    .put("restarted_components", restarted);
            progress.say(NAME + ": plan " + done.planId() + " SUCCEEDED, playbook exit " + result.get("playbook_exit")
                    + ", keys " + keysBefore + " -> " + keysAfter + " (" + lost + " written after the snapshot lost), "
                    + restarted + " component restarts");
            return result.ok(keysAfter == snapshotKeys && lost == keysBefore - snapshotKeys
                    && Integer.valueOf(0).equals(result.get("playbook_exit"))
                    && Boolean.TRUE.equals(result.get("restored_from_snapshot"))
                    && ((Long) result.get("playbook_live_updates")) > 0
                    && restarted == (long) cluster.nodes().size() * KubesprayCluster.COMPONENTS.size());
        } catch (IOException | RuntimeException e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.put("error", "interrupted");
        }
    }
}
