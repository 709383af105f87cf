package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.etcd.EtcdVersion;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue #14: the quorum restore rehearsed before it is needed. The scenario writes 1,000 keys, takes a snapshot through
 * backup-service and waits until it is verified, writes 100 more (only the change log holds them) and waits until the
 * change log has made them durable; then it asks restore-service to rehearse the cluster's quorum restore
 * ({@code POST /api/v1/clusters/{id}/rehearsals}). The rehearsal restores that snapshot and change log into a scratch
 * cluster and reports its RTO. ok: PASSED, the scratch cluster at the revision the real one had (plus the bump on
 * 3.5.8+) with as many keys, and the real cluster untouched (the same member processes, revision and keys; no incident
 * and no recovery event about it or the scratch cluster).
 */
public final class RehearsalScenario extends ClusterRecoveryScenario {

    public static final String NAME = "rehearsal";
    static final int KEYS = 1_000;
    static final int KEYS_AFTER_SNAPSHOT = 100;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "issue #14: write 1,000 keys, snapshot (verified), write 100 more (change log only), then rehearse the "
                + "quorum restore on a scratch cluster over REST: its RTO, the real cluster untouched";
    }

    @Override
    protected ScenarioResult play(ClusterRun run) throws IOException, InterruptedException {
        ScenarioResult result = run.result();
        World world = run.world();
        EtcdCluster etcd = run.etcd();
        String clusterId = run.clusterId();
        etcd.putKeys("/demo/" + NAME + "/", KEYS);
        JsonNode verified = ServiceCalls.takeVerifiedSnapshot(world, clusterId, Duration.ofSeconds(120));
        String backupId = verified.get("backupId").asText();
        long snapshotRevision = verified.get("revision").asLong();
        ServiceCalls.awaitChangeLogFollowing(world, etcd, clusterId, Duration.ofSeconds(60));
        etcd.putKeys("/demo/" + NAME + "/after-snapshot/" + backupId + "/", KEYS_AFTER_SNAPSHOT);
        long keysBefore = etcd.countKeys();
        long revisionBefore = etcd.revision();
        result.put("snapshot_id", backupId).put("snapshot_revision", snapshotRevision)
                .put("revision_before", revisionBefore).put("keys_before", keysBefore)
                .put("etcd_version", etcd.version());
        String segments = ServiceCalls.changeLogSegments(world, clusterId, snapshotRevision);
        if (!Pause.until(() -> ServiceCalls.changeLogEnd(world, segments) >= revisionBefore, Duration.ofSeconds(30))) {
            throw run.fail("backup-service's change log did not record revision " + revisionBefore + " within 30 s ("
                    + segments + "; is cpr.changelog.enabled on?)");
        }
        Map<String, Long> pidsBefore = pids(etcd);

        run.say("snapshot " + backupId + " verified, " + keysBefore + " keys at revision " + revisionBefore
                + "; rehearsing the quorum restore of " + clusterId + " on a scratch cluster");
        Instant asked = run.inject();
        long t0 = System.nanoTime();
        JsonNode rehearsal = ServiceCalls.send(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/clusters/"
                + clusterId + "/rehearsals", "POST", null, world.tokens().operator(), 201, Duration.ofMinutes(5));
        long answeredMs = (System.nanoTime() - t0) / 1_000_000;
        String scratchId = rehearsal.path("scratchId").asText();
        Map<String, Long> stepMillis = new LinkedHashMap<>();
        rehearsal.path("steps").forEach(step -> stepMillis.put(step.path("name").asText(),
                step.path("millis").asLong()));
        Long target = rehearsal.path("targetRevision").isNumber() ? rehearsal.get("targetRevision").asLong() : null;
        long reached = rehearsal.path("revisionReached").asLong(-1);
        result.put("verdict", rehearsal.path("verdict").asText()).put("rto_ms", rehearsal.path("rtoMillis").asLong())
                .put("rehearsal_ms", answeredMs).put("scratch_id", scratchId).put("target_revision", target)
                .put("revision_reached", reached).put("key_count", rehearsal.path("keyCount").asLong(-1))
                .put("steps_ms", stepMillis).put("reason", rehearsal.path("reason").asText());

        // the real cluster as it was: the same processes, revision and keys, and no event about it or the scratch
        boolean untouched = pids(etcd).equals(pidsBefore) && etcd.revision() == revisionBefore
                && etcd.countKeys() == keysBefore;
        long events = run.events().seen().stream().filter(s -> !s.receivedAt().isBefore(asked))
                .filter(s -> clusterId.equals(s.event().subject()) || scratchId.equals(s.event().subject())).count();
        result.put("real_cluster_untouched", untouched).put("events_about_it", events);
        run.say("rehearsal " + rehearsal.path("verdict").asText() + ": RTO " + rehearsal.path("rtoMillis").asLong()
                + " ms (" + answeredMs + " ms for the whole call); " + rehearsal.path("reason").asText());
        boolean bumpExpected = EtcdTools.canBumpRevision(EtcdVersion.parse(etcd.version()));
        long expected = revisionBefore + (bumpExpected ? EtcdTools.DEFAULT_BUMP_REVISION : 0);
        return result.ok("PASSED".equals(rehearsal.path("verdict").asText()) && Long.valueOf(revisionBefore).equals(target)
                && reached == expected && rehearsal.path("keyCount").asLong(-1) == keysBefore
                && rehearsal.path("rtoMillis").asLong() > 0 && untouched && events == 0);
    }

    private static Map<String, Long> pids(EtcdCluster etcd) {
        Map<String, Long> pids = new TreeMap<>();
        etcd.members().forEach(m -> pids.put(m.name(), etcd.pid(m.name()).orElse(-1)));
        return pids;
    }
}
