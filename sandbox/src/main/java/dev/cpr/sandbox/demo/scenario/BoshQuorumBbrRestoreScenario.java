package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.PksCluster;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Seed 000 on the PKS cluster: two of the three masters fail and their etcd WALs are gone, so quorum is lost and
 * only a restore brings the cluster back. Before the fault the scenario writes 10,000 keys, has backup-service take
 * a bbr deployment backup over REST and waits until its artifact is verified, then writes 100 more keys (after the
 * backup: a restore loses exactly them). cpr must notice (QUORUM_LOST), propose {@code bbr-deployment-restore} from
 * that artifact and wait for a person; the scenario approves it over REST as an operator. Recovered: the plan
 * SUCCEEDED, every member healthy with exactly the artifact's keys, the director showing every master running.
 * {@code keys_lost} is the keys written after the backup. Times are measured from the injection.
 */
public final class BoshQuorumBbrRestoreScenario implements Scenario {

    public static final String NAME = "bosh-quorum-bbr-restore";
    static final int KEYS = 10_000;
    static final int KEYS_AFTER_BACKUP = 100;
    private static final List<String> VICTIMS = List.of("etcd-2", "etcd-3");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "seed 000 on PKS: 10,000 keys, bbr deployment backup (verified), 100 more keys, two masters' etcd "
                + "fail with their WAL gone (quorum lost), approve bbr-deployment-restore over REST";
    }

    @Override
    public ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(NAME);
        PksCluster pks = world.pks();
        EtcdCluster etcd = pks.etcd();
        String clusterId = pks.clusterId();
        DirectorView director = new DirectorView(pks.client(), PksCluster.DEPLOYMENT);
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(),
                Topics.INCIDENTS, Topics.RECOVERIES)) {
            etcd.awaitHealthy(Duration.ofSeconds(30));
            Preconditions.awaitNoOpenIncident(world, clusterId, Duration.ofSeconds(60));
            result.put("detected_ms", null).put("approved_ms", null).put("recovered_ms", null)
                    .put("keys_before", null).put("keys_after", null).put("keys_lost", null);
            etcd.putKeys("/demo/" + NAME + "/", KEYS);
            long keysAtBackup = etcd.countKeys();

            progress.say(NAME + ": " + keysAtBackup + " keys on " + clusterId + "; bbr deployment backup through backup-service");
            Instant backupStarted = Instant.now();
            String backupId = ServiceCalls.startBackup(world, clusterId, "bbr-deployment");
            JsonNode backup = ServiceCalls.awaitVerifiedBackup(ServiceCalls.backup(world, backupId),
                    world.tokens().viewer(), Duration.ofSeconds(120));
            result.put("backup_id", backupId).put("backup_ms", Duration.between(backupStarted, Instant.now()).toMillis())
                    .put("backup_location", backup.path("location").asText(null)).put("backup_keys", keysAtBackup);

            etcd.putKeys("/demo/" + NAME + "/after-backup/", KEYS_AFTER_BACKUP);
            long keysBefore = etcd.countKeys();
            result.put("keys_before", keysBefore);

            progress.say(NAME + ": backup " + backupId + " verified; " + keysBefore + " keys now; " + VICTIMS
                    + " lose their member/wal and their etcd jobs fail");
            Instant injected = Instant.now();
            // the WALs go while the members run, as in the seed; then both jobs fail at once (one at a time, a busy
            // machine can let health-monitor see the first alone and open a member incident before the quorum loss)
            VICTIMS.forEach(etcd::deleteWal);
            VICTIMS.forEach(victim -> pks.director().failJob(pks.instanceOf(victim)));

            Optional<EventWatcher.Seen> opened = events.await(EventWatcher.incidentOpened(clusterId,
                    i -> i.failure() == FailureKind.QUORUM_LOST), Duration.ofSeconds(30));
            if (opened.isEmpty()) {
                return result.put("error", "no incident.opened with QUORUM_LOST for " + clusterId + " within 30 s");
            }
            IncidentOpened incident = opened.get().data(IncidentOpened.class);
            result.put("detected_ms", Duration.between(injected, incident.detectedAt()).toMillis());
            progress.say(NAME + ": incident " + incident.incidentId() + " opened: " + incident.summary());

            Optional<EventWatcher.Seen> proposed = events.await(EventWatcher.planUpdated(clusterId,
                    PlanNames.BBR_DEPLOYMENT_RESTORE, u -> u.state() == PlanState.AWAITING_APPROVAL || u.state().isFinal()),
                    Duration.ofSeconds(30));
            if (proposed.isEmpty()) {
                return result.put("error", "no " + PlanNames.BBR_DEPLOYMENT_RESTORE + " plan awaiting approval within 30 s");
            }
            RecoveryUpdate plan = proposed.get().data(RecoveryUpdate.class);
            result.put("plan", plan.plan()).put("plan_id", plan.planId());
            if (plan.state() != PlanState.AWAITING_APPROVAL) {
                return result.put("plan_state", plan.state().name())
                        .put("error", "plan " + plan.planId() + " is " + plan.state() + ": " + plan.message());
            }
            progress.say(NAME + ": plan " + plan.planId() + " awaits approval: " + plan.message() + "; approving");
            ServiceCalls.approve(world, plan.planId(), NAME + " scenario");
            result.put("approved_ms", Duration.between(injected, Instant.now()).toMillis());

            Optional<EventWatcher.Seen> finished = events.await(EventWatcher.planUpdated(clusterId,
                    PlanNames.BBR_DEPLOYMENT_RESTORE, u -> u.planId().equals(plan.planId()) && u.state().isFinal()),
                    Duration.ofSeconds(180));
            if (finished.isEmpty()) {
                return result.put("error", "the restore did not finish within 180 s of the approval");
            }
            RecoveryUpdate done = finished.get().data(RecoveryUpdate.class);
            result.put("plan_state", done.state().name()).put("steps", BoshMasterRecreateScenario.steps(done))
                    .put("rpo_seconds", done.rpoSeconds()).put("rto_ms", done.rtoMillis());
            if (done.state() != PlanState.SUCCEEDED) {
                return result.put("error", "plan " + done.planId() + " ended " + done.state() + ": " + done.message());
            }
            etcd.awaitHealthy(Duration.ofSeconds(30));
            boolean mastersRunning = Pause.until(() -> director.allMastersRunning(PksCluster.MASTERS),
                    Duration.ofSeconds(30));
            long recoveredMs = Duration.between(injected, Instant.now()).toMillis();
            long keysAfter = etcd.countKeys();
            long lost = keysBefore - keysAfter;
            result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter).put("keys_lost", lost)
                    .put("masters", director.describeMasters());
            progress.say(NAME + ": plan " + done.planId() + " SUCCEEDED, keys " + keysBefore + " -> " + keysAfter
                    + " (" + lost + " written after the backup lost); masters: " + director.describeMasters());
            return result.ok(mastersRunning && keysAfter == keysAtBackup && lost == KEYS_AFTER_BACKUP);
        } catch (IOException | RuntimeException e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.put("error", "interrupted");
        }
    }
}
