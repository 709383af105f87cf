package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Seed 001: one master's etcd loses its WAL ({@code member/wal} deleted) and the process dies. cpr
 * must notice, replace the member while quorum holds, and lose no key. Times are measured from the
 * injection.
 */
public final class MemberDataLossScenario implements Scenario {

    public static final String NAME = "member-data-loss";
    static final int KEYS = 10_000;

    private final String victim;

    public MemberDataLossScenario() {
        this("etcd-2");
    }

    public MemberDataLossScenario(String victim) {
        this.victim = victim;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "seed 001: write 10,000 keys, kill one member and delete its member/wal, wait for cpr to replace it";
    }

    @Override
    public ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(NAME);
        EtcdCluster etcd = world.sandbox().etcd();
        String clusterId = etcd.spec().id();
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(),
                Topics.INCIDENTS, Topics.RECOVERIES)) {
            etcd.awaitHealthy(Duration.ofSeconds(30));
            Preconditions.awaitNoOpenIncident(world, Duration.ofSeconds(60));
            etcd.putKeys("/demo/" + NAME + "/", KEYS);
            long keysBefore = etcd.countKeys();
            result.put("detected_ms", null).put("recovered_ms", null)
                    .put("keys_before", keysBefore).put("keys_after", null).put("member", victim);

            progress.say(NAME + ": " + keysBefore + " keys; killing " + victim + " and deleting its member/wal");
            Instant injected = Instant.now();
            etcd.kill(victim);
            etcd.deleteWal(victim);

            Optional<EventWatcher.Seen> opened = events.await(s -> EventTypes.INCIDENT_OPENED.equals(s.event().type())
                    && clusterId.equals(s.event().subject())
                    && s.data(IncidentOpened.class).failure() == FailureKind.MEMBER_UNHEALTHY
                    && s.data(IncidentOpened.class).failedMembers().contains(victim), Duration.ofSeconds(30));
            if (opened.isEmpty()) {
                return result.put("error", "no incident.opened for " + victim + " within 30 s");
            }
            IncidentOpened incident = opened.get().data(IncidentOpened.class);
            result.put("detected_ms", Duration.between(injected, incident.detectedAt()).toMillis());
            progress.say(NAME + ": incident " + incident.incidentId() + " opened: " + incident.summary());

            Optional<EventWatcher.Seen> finished = events.await(s -> EventTypes.RECOVERY_UPDATED.equals(s.event().type())
                    && incident.incidentId().equals(s.data(RecoveryUpdate.class).incidentId())
                    && s.data(RecoveryUpdate.class).state().isFinal(), Duration.ofSeconds(60));
            if (finished.isEmpty()) {
                return result.put("error", "the recovery plan did not finish within 60 s");
            }
            RecoveryUpdate plan = finished.get().data(RecoveryUpdate.class);
            result.put("plan", plan.plan()).put("plan_id", plan.planId()).put("plan_state", plan.state().name());
            if (plan.state() != PlanState.SUCCEEDED) {
                return result.put("error", "plan " + plan.planId() + " ended " + plan.state() + ": " + plan.message());
            }
            boolean healthy = Pause.until(() -> etcd.isHealthy(victim), Duration.ofSeconds(15));
            long recoveredMs = Duration.between(injected, Instant.now()).toMillis();
            long keysAfter = etcd.countKeys();
            result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter).put("member_healthy", healthy);
            events.await(EventWatcher.ofType(EventTypes.INCIDENT_RESOLVED, clusterId), Duration.ofSeconds(15))
                    .ifPresent(s -> result.put("resolved_ms", Duration.between(injected, s.receivedAt()).toMillis()));
            result.put("slack_messages", world.slack().messages().size());
            progress.say(NAME + ": plan " + plan.planId() + " " + plan.state() + ", " + victim
                    + (healthy ? " healthy" : " NOT healthy") + ", keys " + keysBefore + " -> " + keysAfter);
            return result.ok(healthy && keysAfter == keysBefore);
        } catch (RuntimeException e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
