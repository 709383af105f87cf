package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.kubespray.KubesprayCluster;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 004 with quorum holding: node3 of the kubespray cluster loses its etcd data (etcd stopped, data dir gone).
 * cpr must notice, write kubespray's inventory with node3 broken, run the real ansible-playbook on
 * recover-control-plane.yml over ssh (the broken member removed and added back), and lose no key. The control-plane
 * components and kubelets must have been restarted on every node. Times are measured from the injection.
 */
public final class KubesprayMemberLossScenario implements Scenario {

    public static final String NAME = "kubespray-member-loss";
    static final int KEYS = 1_000;
    static final String VICTIM = "etcd3";
    /** ansible over ssh is slow on a loaded machine: one run takes tens of seconds. */
    static final Duration PLAN_TIMEOUT = Duration.ofSeconds(300);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "seed 004: write 1,000 keys to the kubespray cluster, lose node3's etcd data, wait for cpr to run "
                + "recover-control-plane.yml (quorum holds: remove and re-add)";
    }

    @Override
    public ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(NAME);
        KubesprayCluster cluster = world.kubespray();
        EtcdCluster etcd = cluster.etcd();
        String clusterId = cluster.clusterId();
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(),
                Topics.INCIDENTS, Topics.RECOVERIES)) {
            etcd.awaitHealthy(Duration.ofSeconds(30));
            Preconditions.awaitQuiet(world, clusterId, Duration.ofSeconds(60));
            etcd.putKeys("/registry/" + NAME + "/", KEYS);
            long keysBefore = etcd.countKeys();
            Map<String, Integer> restartsBefore = KubesprayRuns.restarts(cluster);
            result.put("detected_ms", null).put("recovered_ms", null).put("keys_before", keysBefore)
                    .put("keys_after", null).put("playbook_exit", null).put("member", VICTIM);

            progress.say(NAME + ": " + keysBefore + " keys; " + VICTIM + " on " + cluster.node(VICTIM).hostname()
                    + " loses its data (etcd stopped, data dir deleted)");
            Instant injected = Instant.now();
            cluster.loseMember(VICTIM);

            Optional<EventWatcher.Seen> opened = events.await(s -> EventTypes.INCIDENT_OPENED.equals(s.event().type())
                    && clusterId.equals(s.event().subject())
                    && s.data(IncidentOpened.class).failure() == FailureKind.MEMBER_UNHEALTHY
                    && s.data(IncidentOpened.class).failedMembers().contains(VICTIM), Duration.ofSeconds(30));
            if (opened.isEmpty()) {
                return result.put("error", "no incident.opened for " + VICTIM + " within 30 s");
            }
            IncidentOpened incident = opened.get().data(IncidentOpened.class);
            result.put("detected_ms", Duration.between(injected, incident.detectedAt()).toMillis());
            progress.say(NAME + ": incident " + incident.incidentId() + " opened: " + incident.summary());

            Optional<EventWatcher.Seen> finished = events.await(s -> EventTypes.RECOVERY_UPDATED.equals(s.event().type())
                    && incident.incidentId().equals(s.data(RecoveryUpdate.class).incidentId())
                    && s.data(RecoveryUpdate.class).state().isFinal(), PLAN_TIMEOUT);
            if (finished.isEmpty()) {
                return result.put("error", "the recovery plan did not finish within " + PLAN_TIMEOUT.toSeconds() + " s");
            }
            RecoveryUpdate plan = finished.get().data(RecoveryUpdate.class);
            String output = KubesprayRuns.runStepOutput(world, plan.planId());
            long liveUpdates = KubesprayRuns.liveOutputUpdates(events, plan.planId());
            result.put("plan", plan.plan()).put("plan_id", plan.planId()).put("plan_state", plan.state().name())
                    .put("playbook_exit", KubesprayRuns.exitCode(output)).put("playbook_live_updates", liveUpdates);
            if (plan.state() != PlanState.SUCCEEDED) {
                return result.put("error", "plan " + plan.planId() + " ended " + plan.state() + ": " + plan.message());
            }
            boolean healthy = Pause.until(() -> etcd.isHealthy(VICTIM), Duration.ofSeconds(15));
            long recoveredMs = Duration.between(injected, Instant.now()).toMillis();
            long keysAfter = etcd.countKeys();
            long restarted = KubesprayRuns.restartedSince(cluster, restartsBefore);
            result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter).put("member_healthy", healthy)
                    .put("restarted_components", restarted)
                    .put("env_joined_existing", cluster.envFile(VICTIM).contains("ETCD_INITIAL_CLUSTER_STATE=existing"));
            progress.say(NAME + ": plan " + plan.planId() + " " + plan.state() + ", playbook exit "
                    + result.get("playbook_exit") + ", " + VICTIM + (healthy ? " healthy" : " NOT healthy") + ", keys "
                    + keysBefore + " -> " + keysAfter + ", " + restarted + " component restarts");
            return result.ok(healthy && keysAfter == keysBefore && Integer.valueOf(0).equals(result.get("playbook_exit"))
                    && liveUpdates > 0
                    && restarted == (long) cluster.nodes().size() * KubesprayCluster.COMPONENTS.size());
        } catch (IOException | RuntimeException e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.put("error", "interrupted");
        }
    }
}
