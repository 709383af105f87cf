package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Two of three members die and their data is gone; the third survives with every key, so restoring a snapshot would
 * throw away whatever was written after it. cpr must survey the members and
 * propose {@code etcd-survivor-rebuild} from the survivor (not the snapshot restore), wait for a person, and, once
 * approved over REST, bring the cluster back with every key. Judged from outside: events and the real cluster.
 */
public final class QuorumSurvivorScenario implements Scenario {

    public static final String NAME = "quorum-survivor";
    static final int KEYS = 10_000;
    static final List<String> VICTIMS = List.of("etcd-2", "etcd-3");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "write 10,000 keys, kill two of three members and wipe their data; cpr proposes rebuilding from the "
                + "survivor (etcd-survivor-rebuild), approved over REST, every key back";
    }

    @Override
    public ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(NAME);
        EtcdCluster etcd = world.sandbox().etcd();
        String clusterId = etcd.spec().id();
        String restore = world.service(CprService.RESTORE_SERVICE).url();
        String operator = world.tokens().operator();
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(),
                Topics.INCIDENTS, Topics.RECOVERIES)) {
            etcd.awaitHealthy(Duration.ofSeconds(30));
            Preconditions.awaitNoOpenIncident(world, Duration.ofSeconds(60));
            result.put("detected_ms", null).put("approved_ms", null).put("recovered_ms", null)
                    .put("keys_before", null).put("keys_after", null);
            etcd.putKeys("/demo/" + NAME + "/", KEYS);
            long keysBefore = etcd.countKeys();
            result.put("keys_before", keysBefore);

            progress.say(NAME + ": " + keysBefore + " keys; killing " + String.join(", ", VICTIMS)
                    + " and wiping their data (etcd-1 survives)");
            Instant injected = Instant.now();
            // the data goes first, while the members still run (they keep their open files), then they die: killed
            // first, a member could be surveyed with its data still there, and cpr would rightly try to start it again
            VICTIMS.forEach(etcd::wipe);
            VICTIMS.forEach(etcd::kill);

            Optional<EventWatcher.Seen> opened = events.awaitIncidentOpened(clusterId, FailureKind.QUORUM_LOST, Duration.ofSeconds(30));
            if (opened.isEmpty()) {
                return result.put("error", "no incident.opened with QUORUM_LOST within 30 s");
            }
            IncidentOpened incident = opened.get().data(IncidentOpened.class);
            result.put("detected_ms", Duration.between(injected, incident.detectedAt()).toMillis());
            progress.say(NAME + ": incident " + incident.incidentId() + " opened: " + incident.summary());

            Optional<EventWatcher.Seen> proposed = events.await(s -> QuorumReviveScenario.isUpdate(s)
                    && incident.incidentId().equals(s.data(RecoveryUpdate.class).incidentId())
                    && (s.data(RecoveryUpdate.class).state() == PlanState.AWAITING_APPROVAL
                    || s.data(RecoveryUpdate.class).state().isFinal()), Duration.ofSeconds(30));
            if (proposed.isEmpty()) {
                return result.put("error", "no plan awaiting approval within 30 s of the incident");
            }
            RecoveryUpdate plan = proposed.get().data(RecoveryUpdate.class);
            result.put("plan", plan.plan()).put("plan_id", plan.planId())
                    .put("options", QuorumReviveScenario.options(plan));
            if (!PlanNames.ETCD_SURVIVOR_REBUILD.equals(plan.plan()) || plan.state() != PlanState.AWAITING_APPROVAL) {
                return result.put("plan_state", plan.state().name()).put("error", "plan " + plan.plan() + " is "
                        + plan.state() + ", not " + PlanNames.ETCD_SURVIVOR_REBUILD + " awaiting approval: "
                        + plan.message());
            }
            progress.say(NAME + ": plan " + plan.planId() + " awaits approval: " + plan.message() + "; approving");
            ServiceCalls.send(restore + "/api/v1/recoveries/" + plan.planId() + "/approve", "POST",
                    "{\"reason\":\"quorum-survivor scenario\"}", operator, 200);
            result.put("approved_ms", Duration.between(injected, Instant.now()).toMillis());

            Optional<EventWatcher.Seen> finished = events.await(s -> QuorumReviveScenario.isUpdate(s)
                    && plan.planId().equals(s.data(RecoveryUpdate.class).planId())
                    && s.data(RecoveryUpdate.class).state().isFinal(), Duration.ofSeconds(120));
            if (finished.isEmpty()) {
                return result.put("error", "the rebuild did not finish within 120 s of the approval");
            }
            RecoveryUpdate done = finished.get().data(RecoveryUpdate.class);
            result.put("plan_state", done.state().name()).put("rto_ms", done.rtoMillis())
                    .put("steps", done.steps().size());
            if (done.state() != PlanState.SUCCEEDED) {
                return result.put("error", "plan " + done.planId() + " ended " + done.state() + ": " + done.message());
            }
            // judged once, with time to settle (throws, naming the members, if they do not): a second instant
            // probe afterwards failed a run whose members were all healthy, caught mid leader election
            etcd.awaitHealthy(Duration.ofSeconds(15));
            result.put("members_healthy", true);
            long keysAfter = etcd.countKeys();
            boolean restoreProposed = events.seen().stream().anyMatch(s -> QuorumReviveScenario.isUpdate(s)
                    && PlanNames.ETCD_QUORUM_RESTORE.equals(s.data(RecoveryUpdate.class).plan())
                    && clusterId.equals(s.data(RecoveryUpdate.class).clusterId()));
            result.put("recovered_ms", Duration.between(injected, Instant.now()).toMillis()).put("keys_after", keysAfter)
                    .put("restore_proposed", restoreProposed);
            progress.say(NAME + ": plan " + done.planId() + " SUCCEEDED, keys " + keysBefore + " -> " + keysAfter);
            return result.ok(keysAfter == keysBefore && !restoreProposed);
        } catch (IOException | RuntimeException e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.put("error", "interrupted");
        }
    }
}
