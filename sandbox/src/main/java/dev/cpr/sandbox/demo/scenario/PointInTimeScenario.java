package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.etcd.EtcdVersion;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue #14: an accidental delete undone. The scenario writes 10,000 keys (2,000 of them under {@code important/}),
 * has backup-service take and verify a snapshot, then keeps writing (one key at a time, each its own revision) and
 * changes 100 of the important keys, so the point wanted is in neither the snapshot nor the present. At a moment T it
 * deletes the whole {@code important/} prefix, one revision; writes go on after it. Once backup-service's change log
 * holds T, it asks restore-service over REST for {@code etcd-point-in-time-restore} to revision T-1 and approves it as
 * an operator would. Judged on the real cluster: every deleted key back with the value it had just before T, the
 * cluster at exactly T-1 (etcd 3.4; 3.5 adds its bump), and nothing written after T.
 */
public final class PointInTimeScenario extends ClusterRecoveryScenario {

    public static final String NAME = "point-in-time";
    static final int KEYS = 10_000;
    static final int IMPORTANT = 2_000;
    static final int CHANGED_AFTER_SNAPSHOT = 100;
    /** Writes the live writer makes before the delete, and at least as many after it. */
    static final int LIVE_WRITES = 50;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "issue #14: 10,000 keys, snapshot, writes going on, the 'important/' prefix deleted at T; restore to T-1 "
                + "over REST (etcd-point-in-time-restore, approved): every deleted key back with its value";
    }

    @Override
    protected ScenarioResult play(ClusterRun run) throws IOException, InterruptedException {
        ScenarioResult result = run.result();
        World world = run.world();
        EtcdCluster etcd = run.etcd();
        String clusterId = run.clusterId();
        String backup = world.service(CprService.BACKUP_SERVICE).url();
        String restore = world.service(CprService.RESTORE_SERVICE).url();
        result.put("keys_total", null).put("deleted_keys", null).put("restored_keys", null).put("values_matching", null)
                .put("target_revision", null).put("revision_after", null).put("recovered_ms", null);
        // a prefix of its own each run: the world's cluster keeps what earlier scenarios wrote
        String base = "/demo/" + NAME + "/" + UUID.randomUUID().toString().substring(0, 8) + "/";
        String important = base + "important/";
        etcd.putKeys(base + "data/", KEYS - IMPORTANT);
        etcd.putKeys(important, IMPORTANT);
        result.put("keys_total", KEYS);

        run.say(KEYS + " keys under " + base + "; taking a snapshot through backup-service");
        JsonNode verified = ServiceCalls.takeVerifiedSnapshot(world, clusterId, Duration.ofSeconds(120));
        long snapshotRevision = verified.get("revision").asLong();
        result.put("snapshot_id", verified.get("backupId").asText()).put("snapshot_revision", snapshotRevision)
                .put("etcd_version", etcd.version());
        ServiceCalls.awaitChangeLogFollowing(world, etcd, clusterId, Duration.ofSeconds(60));

        KV kv = etcd.client().getKVClient();
        LiveWriter writer = new LiveWriter(kv, base + "live/");
        Thread writing = new Thread(writer, "point-in-time-writer");
        writing.setDaemon(true);
        writing.start();
        try {
            // the point wanted is in neither the snapshot nor the present: some important keys change after it
            for (int i = 0; i < CHANGED_AFTER_SNAPSHOT; i++) {
                put(kv, important + String.format("%06d", i), "changed-after-snapshot-" + i);
            }
            awaitWrites(run, writer, LIVE_WRITES);

            Map<String, String> before = read(kv, important);
            DeleteResponse deletion = deletePrefix(kv, important);
            long deleted = deletion.getDeleted();
            long deleteRevision = deletion.getHeader().getRevision();
            long writesBefore = writer.done.get();
            run.inject();
            long target = deleteRevision - 1;
            result.put("deleted_keys", deleted).put("delete_revision", deleteRevision).put("target_revision", target);
            run.say("deleted " + deleted + " keys under " + important + " at revision " + deleteRevision
                    + " (T); writes go on");
            awaitWrites(run, writer, writesBefore + LIVE_WRITES);
            writer.stop.set(true);
            writing.join(10_000);
            long writesAfter = writer.done.get() - writesBefore;
            result.put("writes_after_delete", writesAfter);

            String segments = ServiceCalls.changeLogSegments(world, clusterId, snapshotRevision);
            if (!Pause.until(() -> ServiceCalls.changeLogEnd(world, segments) >= deleteRevision, Duration.ofSeconds(30))) {
                throw run.fail("backup-service's change log did not record revision " + deleteRevision
                        + " within 30 s (is cpr.changelog.enabled on?)");
            }

            JsonNode proposed = ServiceCalls.send(restore + "/api/v1/recoveries", "POST", "{\"cluster\":\"" + clusterId
                    + "\",\"plan\":\"etcd-point-in-time-restore\",\"targetRevision\":" + target + "}",
                    world.tokens().operator(), 201);
            String planId = proposed.get("id").asText();
            result.put("plan", proposed.path("plan").asText()).put("plan_id", planId);
            if (!PlanState.AWAITING_APPROVAL.name().equals(proposed.path("state").asText())) {
                throw run.fail("plan " + planId + " is " + proposed.path("state").asText() + ": "
                        + proposed.path("message").asText());
            }
            run.say("plan " + planId + " awaits approval: " + proposed.path("message").asText() + "; approving");
            ServiceCalls.approve(world, planId, NAME + " scenario");
            result.put("approved_ms", run.msSinceInjection());

            RecoveryUpdate done = run.awaitPlanEnd(planId, Duration.ofSeconds(180),
                    "the point-in-time restore did not finish within 180 s of the approval");
            result.put("plan_state", done.state().name()).put("rto_ms", done.rtoMillis());
            run.requireSucceeded(done);
            etcd.awaitHealthy(Duration.ofSeconds(15));
            result.put("recovered_ms", run.msSinceInjection());

            Map<String, String> after = read(kv, important);
            long matching = before.entrySet().stream().filter(e -> e.getValue().equals(after.get(e.getKey()))).count();
            Map<String, String> live = read(kv, base + "live/");
            long liveAfterT = live.keySet().stream().filter(key -> writer.revisionOf(key) > target).count();
            long liveBeforeT = writer.revisions.values().stream().filter(revision -> revision < deleteRevision).count();
            long revisionAfter = etcd.revision();
            boolean bumpExpected = EtcdTools.canBumpRevision(EtcdVersion.parse(etcd.version()));
            boolean revisionReached = bumpExpected ? revisionAfter >= target + EtcdTools.DEFAULT_BUMP_REVISION
                    : revisionAfter == target;
            result.put("restored_keys", (long) after.size()).put("values_matching", matching)
                    .put("revision_after", revisionAfter).put("revision_reached", revisionReached)
                    .put("writes_after_delete_present", liveAfterT).put("writes_before_delete", liveBeforeT)
                    .put("writes_before_delete_present", live.size() - liveAfterT);
            run.say("plan " + planId + " SUCCEEDED: " + after.size() + " of " + deleted + " deleted keys back, "
                    + matching + " with the value they had before T; revision " + revisionAfter + " (target " + target
                    + ")");
            return result.ok(deleted == IMPORTANT && after.size() == before.size() && matching == before.size()
                    && revisionReached && liveAfterT == 0 && live.size() == liveBeforeT);
        } finally {
            writer.stop.set(true);
        }
    }

    private static void awaitWrites(ClusterRun run, LiveWriter writer, long atLeast) {
        if (!Pause.until(() -> writer.done.get() >= atLeast || writer.failure != null, Duration.ofSeconds(30))
                || writer.failure != null) {
            throw run.fail("the live writer made " + writer.done.get() + " of " + atLeast + " writes"
                    + (writer.failure == null ? " within 30 s" : ": " + writer.failure));
        }
    }

    private static DeleteResponse deletePrefix(KV kv, String prefix) {
        try {
            return kv.delete(bytes(prefix), DeleteOption.builder().isPrefix(true).build()).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete " + prefix + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> read(KV kv, String prefix) {
        try {
            Map<String, String> values = new LinkedHashMap<>();
            for (KeyValue entry : kv.get(bytes(prefix), GetOption.builder().isPrefix(true).build())
                    .get(30, TimeUnit.SECONDS).getKvs()) {
                values.put(entry.getKey().toString(StandardCharsets.UTF_8),
                        entry.getValue().toString(StandardCharsets.UTF_8));
            }
            return values;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + prefix + ": " + e.getMessage(), e);
        }
    }

    /** @return the revision of the put */
    private static long put(KV kv, String key, String value) {
        try {
            return kv.put(bytes(key), bytes(value)).get(30, TimeUnit.SECONDS).getHeader().getRevision();
        } catch (Exception e) {
            throw new IllegalStateException("cannot put " + key + ": " + e.getMessage(), e);
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    /** Writes {@code <prefix><n>} one put at a time, each its own revision, until stopped. */
    private static final class LiveWriter implements Runnable {

        private final KV kv;
        private final String prefix;
        final AtomicLong done = new AtomicLong();
        /** Each key's put revision: which writes the point restored must hold, which it must not. */
        final Map<String, Long> revisions = new ConcurrentHashMap<>();
        final AtomicBoolean stop = new AtomicBoolean();
        volatile String failure;

        LiveWriter(KV kv, String prefix) {
            this.kv = kv;
            this.prefix = prefix;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                long n = done.get();
                try {
                    revisions.put(prefix + n, put(kv, prefix + n, "live-" + n));
                } catch (RuntimeException e) {
                    failure = e.getMessage();
                    return;
                }
                done.incrementAndGet(); // paced by the cluster's answers: each put waits for the one before it
            }
        }

        /** The put revision of a key this writer wrote; a key it did not write counts as after everything. */
        long revisionOf(String key) {
            return revisions.getOrDefault(key, Long.MAX_VALUE);
        }
    }
}
