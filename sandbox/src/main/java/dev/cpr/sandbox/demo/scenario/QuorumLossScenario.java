package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.etcd.EtcdVersion;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
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
 * Seed 000: the masters fail and their etcd data is gone (all three, so only the snapshot can bring it back: with
 * one member's data left, cpr rebuilds from it instead, see {@code quorum-survivor}); quorum is lost. Before the fault the
 * scenario writes 10,000 keys, takes a snapshot through backup-service's REST API and waits until it is
 * verified, then writes 100 more keys (they are after the snapshot: a restore loses exactly them). cpr must
 * notice, propose {@code etcd-quorum-restore} from that snapshot and wait; the scenario approves it over
 * restore-service's REST API as an operator would, and judges the result by the events and the real cluster.
 * Times are measured from the injection.
 */
public final class QuorumLossScenario implements Scenario {

    public static final String NAME = "quorum-loss";
    static final int KEYS = 10_000;
    static final int KEYS_AFTER_SNAPSHOT = 100;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "seed 000: write 10,000 keys, snapshot (verified), write 100 more, kill every member and wipe its "
                + "data, approve the restore over REST";
    }

    @Override
    public ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(NAME);
        EtcdCluster etcd = world.sandbox().etcd();
        String clusterId = etcd.spec().id();
        String backup = world.service(CprService.BACKUP_SERVICE).url();
        String restore = world.service(CprService.RESTORE_SERVICE).url();
        String operator = world.tokens().operator();
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(),
                Topics.INCIDENTS, Topics.RECOVERIES)) {
            etcd.awaitHealthy(Duration.ofSeconds(30));
            Preconditions.awaitNoOpenIncident(world, Duration.ofSeconds(60));
            result.put("detected_ms", null).put("approved_ms", null).put("recovered_ms", null)
                    .put("keys_before", null).put("keys_after", null).put("rpo_keys_lost", null);
            etcd.putKeys("/demo/" + NAME + "/", KEYS);

            progress.say(NAME + ": " + etcd.countKeys() + " keys; taking a snapshot through backup-service");
            JsonNode started = ServiceCalls.send(backup + "/api/v1/backups", "POST", "{\"cluster\":\"" + clusterId + "\"}",
                    operator, 202);
            String backupId = started.get("backupId").asText();
            JsonNode verified = ServiceCalls.awaitVerifiedBackup(backup + "/api/v1/backups/" + backupId, world.tokens().viewer(),
                    Duration.ofSeconds(120));
            long snapshotKeys = verified.get("keyCount").asLong();
            long snapshotRevision = verified.get("revision").asLong();
            result.put("snapshot_id", backupId).put("snapshot_keys", snapshotKeys).put("etcd_version", etcd.version());

            etcd.putKeys("/demo/" + NAME + "/after-snapshot/", KEYS_AFTER_SNAPSHOT);
            long keysBefore = etcd.countKeys();
            result.put("keys_before", keysBefore);

            progress.say(NAME + ": snapshot " + backupId + " verified (" + snapshotKeys + " keys); " + keysBefore
                    + " keys now; killing every member and wiping its data");
            Instant injected = Instant.now();
            // all die at once (seed 000) and every member loses its data: with one member's data left, cpr would
            // rebuild from it (quorum-survivor) instead
            List<String> victims = List.of("etcd-1", "etcd-2", "etcd-3");
            // the data goes first, while the members still run (they keep their open files), then they die: killed
            // first, a member could be surveyed with its data still there, and cpr would rightly try to start it again
            victims.forEach(etcd::wipe);
            victims.forEach(etcd::kill);

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
                    "{\"reason\":\"quorum-loss scenario\"}", operator, 200);
            result.put("approved_ms", Duration.between(injected, Instant.now()).toMillis());

            Optional<EventWatcher.Seen> finished = events.await(s -> EventTypes.RECOVERY_UPDATED.equals(s.event().type())
                    && plan.planId().equals(s.data(RecoveryUpdate.class).planId())
                    && s.data(RecoveryUpdate.class).state().isFinal(), Duration.ofSeconds(120));
            if (finished.isEmpty()) {
                return result.put("error", "the restore did not finish within 120 s of the approval");
            }
            RecoveryUpdate done = finished.get().data(RecoveryUpdate.class);
            result.put("plan_state", done.state().name()).put("rpo_seconds", done.rpoSeconds())
                    .put("rto_ms", done.rtoMillis());
            if (done.state() != PlanState.SUCCEEDED) {
                return result.put("error", "plan " + done.planId() + " ended " + done.state() + ": " + done.message());
            }
            etcd.awaitHealthy(Duration.ofSeconds(15));
            long recoveredMs = Duration.between(injected, Instant.now()).toMillis();
            long keysAfter = etcd.countKeys();
            long lost = keysBefore - keysAfter;
            result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter).put("rpo_keys_lost", lost);
            // from 3.5.8 restore-service bumps the restored revision (by 1,000,000,000 unless configured otherwise), so
            // Kubernetes watch caches see the restore as newer than anything they hold; 3.4 cannot
            long revisionAfter = etcd.revision();
            boolean bumpExpected = EtcdTools.canBumpRevision(EtcdVersion.parse(etcd.version()));
            boolean bumped = revisionAfter >= snapshotRevision + EtcdTools.DEFAULT_BUMP_REVISION;
            result.put("snapshot_revision", snapshotRevision).put("revision_after", revisionAfter)
                    .put("revision_bumped", bumped);
            progress.say(NAME + ": plan " + done.planId() + " SUCCEEDED, keys " + keysBefore + " -> " + keysAfter
                    + " (" + lost + " written after the snapshot lost); revision " + snapshotRevision + " in the snapshot, "
                    + revisionAfter + " now");
            return result.ok(keysAfter == snapshotKeys && lost <= KEYS_AFTER_SNAPSHOT
                    && lost == keysBefore - snapshotKeys && bumped == bumpExpected);
        } catch (IOException | RuntimeException e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.put("error", "interrupted");
        }
    }
}
