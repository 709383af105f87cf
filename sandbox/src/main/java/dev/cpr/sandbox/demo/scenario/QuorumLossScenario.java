package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.etcd.EtcdVersion;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Seed 000: the masters fail and their etcd data is gone (all three, so only the snapshot and the change log can bring
 * it back: with one member's data left, cpr rebuilds from it instead, see {@code quorum-survivor}); quorum is lost.
 * Before the fault the scenario writes 10,000 keys, takes a snapshot through backup-service's REST API and waits until
 * it is verified, then writes 100 more keys (after the snapshot: only the change log holds them) and waits until
 * backup-service's change log has made them durable (its lag is measured, {@code changelog_lag_ms}). cpr must notice,
 * propose {@code etcd-quorum-restore} from that snapshot to the change log's newest revision and wait; the scenario
 * approves it over restore-service's REST API as an operator would, and judges the result by the events and the real
 * cluster: no key lost, and on etcd 3.4 the cluster at exactly the revision it had. Times are measured from the
 * injection.
 */
public final class QuorumLossScenario extends ClusterRecoveryScenario {

    public static final String NAME = "quorum-loss";
    static final int KEYS = 10_000;
    static final int KEYS_AFTER_SNAPSHOT = 100;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "seed 000: write 10,000 keys, snapshot (verified), write 100 more (recorded by the change log only), "
                + "kill every member and wipe its data, approve the restore to the newest point over REST";
    }

    @Override
    protected ScenarioResult play(ClusterRun run) throws IOException, InterruptedException {
        ScenarioResult result = run.result();
        World world = run.world();
        EtcdCluster etcd = run.etcd();
        String clusterId = run.clusterId();
        String backup = world.service(CprService.BACKUP_SERVICE).url();
        result.put("detected_ms", null).put("approved_ms", null).put("recovered_ms", null)
                .put("keys_before", null).put("keys_after", null).put("rpo_keys_lost", null);
        etcd.putKeys("/demo/" + NAME + "/", KEYS);

        run.say(etcd.countKeys() + " keys; taking a snapshot through backup-service");
        JsonNode verified = ServiceCalls.takeVerifiedSnapshot(world, clusterId, Duration.ofSeconds(120));
        String backupId = verified.get("backupId").asText();
        long snapshotKeys = verified.get("keyCount").asLong();
        long snapshotRevision = verified.get("revision").asLong();
        result.put("snapshot_id", backupId).put("snapshot_keys", snapshotKeys).put("etcd_version", etcd.version());
        ServiceCalls.awaitChangeLogFollowing(world, etcd, clusterId, Duration.ofSeconds(60));

        // new keys each run (the snapshot of a later run on the same world holds the earlier runs' keys): a replay
        // that did not happen shows as 100 keys fewer
        etcd.putKeys("/demo/" + NAME + "/after-snapshot/" + backupId + "/", KEYS_AFTER_SNAPSHOT);
        long keysBefore = etcd.countKeys();
        long revisionBefore = etcd.revision();
        result.put("keys_before", keysBefore).put("revision_before", revisionBefore);
        long written = System.nanoTime();
        String segments = ServiceCalls.changeLogSegments(world, clusterId, snapshotRevision);
        if (!Pause.until(() -> ServiceCalls.changeLogEnd(world, segments) >= revisionBefore, Duration.ofSeconds(30))) {
            throw run.fail("backup-service's change log did not record revision " + revisionBefore + " within 30 s ("
                    + segments + " ends at " + ServiceCalls.changeLogEnd(world, segments) + "; is cpr.changelog.enabled on?)");
        }
        result.put("changelog_lag_ms", (System.nanoTime() - written) / 1_000_000);

        run.say("snapshot " + backupId + " verified (" + snapshotKeys + " keys); " + keysBefore
                + " keys now; killing every member and wiping its data");
        run.inject();
        // all die at once (seed 000) and every member loses its data: with one member's data left, cpr would
        // rebuild from it (quorum-survivor) instead
        List<String> victims = List.of("etcd-1", "etcd-2", "etcd-3");
        // the data goes first, while the members still run (they keep their open files), then they die: killed
        // first, a member could be surveyed with its data still there, and cpr would rightly try to start it again
        victims.forEach(etcd::wipe);
        etcd.killTogether(victims);

        IncidentOpened incident = run.awaitIncident(FailureKind.QUORUM_LOST);
        RecoveryUpdate plan = run.awaitProposal(incident);
        result.put("plan", plan.plan()).put("plan_id", plan.planId());
        // the proposal as restore-service keeps it: the point it restores to and what it says it loses
        JsonNode proposed = ServiceCalls.send(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/recoveries/"
                + plan.planId(), "GET", null, world.tokens().viewer(), 200);
        Long targetRevision = proposed.path("targetRevision").isNumber() ? proposed.get("targetRevision").asLong()
                : null;
        result.put("target_revision", targetRevision);
        if (plan.state() != PlanState.AWAITING_APPROVAL) {
            result.put("plan_state", plan.state().name());
            throw run.fail("plan " + plan.planId() + " is " + plan.state() + ": " + plan.message());
        }
        run.approve(plan, "quorum-loss scenario");

        RecoveryUpdate done = run.awaitPlanEnd(plan.planId(), Duration.ofSeconds(120),
                "the restore did not finish within 120 s of the approval");
        result.put("plan_state", done.state().name()).put("rpo_seconds", done.rpoSeconds())
                .put("rto_ms", done.rtoMillis());
        run.requireSucceeded(done);
        etcd.awaitHealthy(Duration.ofSeconds(15));
        long recoveredMs = run.msSinceInjection();
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
        run.say("plan " + done.planId() + " SUCCEEDED, keys " + keysBefore + " -> " + keysAfter + " (" + lost
                + " lost); revision " + snapshotRevision + " in the snapshot, " + revisionBefore + " before the fault, "
                + revisionAfter + " now");
        // the change log held every write: nothing is lost, and 3.4 (no bump) ends at the very revision it had
        boolean revisionReached = bumpExpected ? bumped : revisionAfter == revisionBefore;
        return result.ok(lost == 0 && keysAfter == keysBefore && Long.valueOf(revisionBefore).equals(
                targetRevision) && revisionReached && bumped == bumpExpected);
    }
}
