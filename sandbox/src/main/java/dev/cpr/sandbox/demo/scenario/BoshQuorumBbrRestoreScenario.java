package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.PksCluster;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Seed 000 on the PKS cluster: two of the three masters fail and their etcd WALs are gone, so quorum is lost and
 * only a restore brings the cluster back. Before the fault the scenario writes 10,000 keys, has backup-service take
 * a bbr deployment backup over REST and waits until its artifact is verified, then writes 100 more keys (after the
 * backup: a restore loses exactly them). cpr must notice (QUORUM_LOST), propose {@code bbr-deployment-restore} from
 * that artifact and wait for a person; the scenario approves it over REST as an operator. Recovered: the plan
 * SUCCEEDED, every member healthy with exactly the artifact's keys, the director showing every master running.
 * {@code keys_lost} is the keys written after the backup. Times are measured from the injection.
 */
public final class BoshQuorumBbrRestoreScenario extends PksRecoveryScenario {

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
                + "fail with their WAL gone (quorum lost), approve " + PlanNames.BBR_DEPLOYMENT_RESTORE + " over REST";
    }

    @Override
    protected List<String> measured() {
        return List.of("detected_ms", "approved_ms", "recovered_ms", "keys_before", "keys_after", "keys_lost");
    }

    @Override
    protected ScenarioResult play(ClusterRun run, PksCluster pks, DirectorView director)
            throws IOException, InterruptedException {
        ScenarioResult result = run.result();
        EtcdCluster etcd = run.etcd();
        long keysAtBackup = writeKeys(run, "", KEYS);

        run.say(keysAtBackup + " keys on " + run.clusterId() + "; bbr deployment backup through backup-service");
        Instant backupStarted = Instant.now();
        String backupId = ServiceCalls.startBackup(run.world(), run.clusterId(), "bbr-deployment");
        JsonNode backup = ServiceCalls.awaitVerifiedBackup(ServiceCalls.backup(run.world(), backupId),
                run.world().tokens().viewer(), Duration.ofSeconds(120));
        result.put("backup_id", backupId).put("backup_ms", Duration.between(backupStarted, Instant.now()).toMillis())
                .put("backup_location", backup.path("location").asText(null)).put("backup_keys", keysAtBackup);

        long keysBefore = writeKeys(run, "after-backup/", KEYS_AFTER_BACKUP);
        result.put("keys_before", keysBefore);

        run.say("backup " + backupId + " verified; " + keysBefore + " keys now; " + VICTIMS
                + " lose their member/wal and their etcd jobs fail");
        run.inject();
        // the WALs go while the members run, as in the seed; then both jobs fail at once (one at a time, a busy
        // machine can let health-monitor see the first alone and open a member incident before the quorum loss)
        VICTIMS.forEach(etcd::deleteWal);
        VICTIMS.forEach(victim -> pks.director().failJob(pks.instanceOf(victim)));

        run.awaitIncident(EventWatcher.incidentOpened(run.clusterId(), i -> i.failure() == FailureKind.QUORUM_LOST),
                "no incident.opened with QUORUM_LOST for " + run.clusterId() + " within 30 s");
        RecoveryUpdate plan = run.awaitPlan(PlanNames.BBR_DEPLOYMENT_RESTORE,
                u -> u.state() == PlanState.AWAITING_APPROVAL || u.state().isFinal(), Duration.ofSeconds(30),
                "no " + PlanNames.BBR_DEPLOYMENT_RESTORE + " plan awaiting approval within 30 s");
        result.put("plan", plan.plan()).put("plan_id", plan.planId());
        if (plan.state() != PlanState.AWAITING_APPROVAL) {
            result.put("plan_state", plan.state().name());
            throw run.fail("plan " + plan.planId() + " is " + plan.state() + ": " + plan.message());
        }
        run.approve(plan, NAME + " scenario");

        RecoveryUpdate done = run.awaitPlan(PlanNames.BBR_DEPLOYMENT_RESTORE,
                u -> u.planId().equals(plan.planId()) && u.state().isFinal(), Duration.ofSeconds(180),
                "the restore did not finish within 180 s of the approval");
        result.put("plan_state", done.state().name()).put("steps", steps(done))
                .put("rpo_seconds", done.rpoSeconds()).put("rto_ms", done.rtoMillis());
        run.requireSucceeded(done);
        etcd.awaitHealthy(Duration.ofSeconds(30));
        boolean mastersRunning = Pause.until(() -> director.allMastersRunning(PksCluster.MASTERS),
                Duration.ofSeconds(30));
        long recoveredMs = run.msSinceInjection();
        long keysAfter = etcd.countKeys();
        long lost = keysBefore - keysAfter;
        result.put("recovered_ms", recoveredMs).put("keys_after", keysAfter).put("keys_lost", lost)
                .put("masters", director.describeMasters());
        run.say("plan " + done.planId() + " SUCCEEDED, keys " + keysBefore + " -> " + keysAfter
                + " (" + lost + " written after the backup lost); masters: " + director.describeMasters());
        return result.ok(mastersRunning && keysAfter == keysAtBackup && lost == KEYS_AFTER_BACKUP);
    }
}
