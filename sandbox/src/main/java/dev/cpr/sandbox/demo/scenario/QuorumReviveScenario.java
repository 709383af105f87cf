package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryOption;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Two of three members die (their processes killed) with their data directories intact: quorum is lost, but starting
 * them again loses nothing. cpr must survey the members, run {@code etcd-quorum-revive} by itself (no approval, no
 * snapshot restore proposed) and bring back every key. Judged from outside: the incident and plan events on Kafka and
 * the real cluster's keys.
 */
public final class QuorumReviveScenario implements Scenario {

    public static final String NAME = "quorum-revive";
    static final int KEYS = 10_000;
    static final List<String> VICTIMS = List.of("etcd-2", "etcd-3");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "write 10,000 keys, kill two of three members leaving their data intact; cpr starts them again by "
                + "itself (etcd-quorum-revive), no restore, every key back";
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
            result.put("detected_ms", null).put("recovered_ms", null).put("keys_before", null).put("keys_after", null);
            etcd.putKeys("/demo/" + NAME + "/", KEYS);
            long keysBefore = etcd.countKeys();
            result.put("keys_before", keysBefore);

            progress.say(NAME + ": " + keysBefore + " keys; killing " + String.join(", ", VICTIMS)
                    + " (their data stays)");
            Instant injected = Instant.now();
            VICTIMS.forEach(etcd::kill);

            Optional<EventWatcher.Seen> opened = events.awaitIncidentOpened(clusterId, FailureKind.QUORUM_LOST, Duration.ofSeconds(30));
            if (opened.isEmpty()) {
                return result.put("error", "no incident.opened with QUORUM_LOST within 30 s");
            }
            IncidentOpened incident = opened.get().data(IncidentOpened.class);
            result.put("detected_ms", Duration.between(injected, incident.detectedAt()).toMillis());
            progress.say(NAME + ": incident " + incident.incidentId() + " opened: " + incident.summary());

            Optional<EventWatcher.Seen> planned = events.await(s -> EventTypes.RECOVERY_UPDATED.equals(s.event().type())
                    && incident.incidentId().equals(s.data(RecoveryUpdate.class).incidentId()), Duration.ofSeconds(30));
            if (planned.isEmpty()) {
                return result.put("error", "no plan for the incident within 30 s");
            }
            RecoveryUpdate plan = planned.get().data(RecoveryUpdate.class);
            result.put("plan", plan.plan()).put("plan_id", plan.planId()).put("options", options(plan));
            progress.say(NAME + ": plan " + plan.plan() + " " + plan.state() + ": " + plan.message());
            if (!PlanNames.ETCD_QUORUM_REVIVE.equals(plan.plan())) {
                return result.put("error", "the plan is " + plan.plan() + ", not " + PlanNames.ETCD_QUORUM_REVIVE);
            }

            Optional<EventWatcher.Seen> finished = events.await(s -> EventTypes.RECOVERY_UPDATED.equals(s.event().type())
                    && plan.planId().equals(s.data(RecoveryUpdate.class).planId())
                    && s.data(RecoveryUpdate.class).state().isFinal(), Duration.ofSeconds(90));
            if (finished.isEmpty()) {
                return result.put("error", "the revive did not finish within 90 s");
            }
            RecoveryUpdate done = finished.get().data(RecoveryUpdate.class);
            result.put("plan_state", done.state().name()).put("rto_ms", done.rtoMillis())
                    .put("awaited_approval", events.seen().stream().anyMatch(s -> isUpdate(s)
                            && plan.planId().equals(s.data(RecoveryUpdate.class).planId())
                            && s.data(RecoveryUpdate.class).state() == PlanState.AWAITING_APPROVAL));
            if (done.state() != PlanState.SUCCEEDED) {
                return result.put("error", "plan " + done.planId() + " ended " + done.state() + ": " + done.message());
            }
            etcd.awaitHealthy(Duration.ofSeconds(15));
            long keysAfter = etcd.countKeys();
            boolean restoreProposed = events.seen().stream().anyMatch(s -> isUpdate(s)
                    && PlanNames.ETCD_QUORUM_RESTORE.equals(s.data(RecoveryUpdate.class).plan())
                    && clusterId.equals(s.data(RecoveryUpdate.class).clusterId()));
            result.put("recovered_ms", Duration.between(injected, Instant.now()).toMillis()).put("keys_after", keysAfter)
                    .put("restore_proposed", restoreProposed);
            progress.say(NAME + ": plan " + done.planId() + " SUCCEEDED, keys " + keysBefore + " -> " + keysAfter);
            return result.ok(keysAfter == keysBefore && !restoreProposed
                    && !(Boolean) result.get("awaited_approval"));
        } catch (RuntimeException e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static boolean isUpdate(EventWatcher.Seen seen) {
        return EventTypes.RECOVERY_UPDATED.equals(seen.event().type());
    }

    /** The ranked options as short lines: {@code etcd-quorum-revive chosen, loses 0 revisions, 0 s}. */
    static List<String> options(RecoveryUpdate update) {
        return update.options().stream().map(QuorumReviveScenario::line).toList();
    }

    private static String line(RecoveryOption o) {
        return o.plan() + (o.chosen() ? " chosen" : o.viable() ? "" : " not possible")
                + (o.viable() ? ", loses " + (o.revisionsLost() == null ? "?" : o.revisionsLost()) + " revisions, "
                + (o.secondsLost() == null ? "?" : o.secondsLost()) + " s" : "");
    }
}
