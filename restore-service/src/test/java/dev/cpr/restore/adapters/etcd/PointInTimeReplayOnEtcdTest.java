package dev.cpr.restore.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.kernel.Sha256;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ChangeReplay;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.etcd.EtcdRelease;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #14's point-in-time restore on a real etcd cluster: a snapshot, real changes after it recorded from etcd's
 * watch into segments (as backup-service's recorder writes them), an accidental {@code del --prefix}, then the
 * snapshot restored by restore-service's quorum-restore steps (a new cluster from it) and the segments replayed
 * by {@link ChangeReplayer} up to the revision just before the delete: by hand after the quorum-restore steps, and as
 * the plan {@code etcd-point-in-time-restore} (every step of the runbook with a target, the segments served by a
 * {@link ChangeLogSource}).
 */
class PointInTimeReplayOnEtcdTest {

    private static final Duration CALL = Duration.ofSeconds(10);

    private final Path dir = Path.of("target/pitr-replay-" + UUID.randomUUID().toString().substring(0, 8))
            .toAbsolutePath();

    @AfterEach
    void cleanUp() throws IOException {
        System.clearProperty(EtcdRelease.PROPERTY);
        LocalEtcdMember.deleteRecursively(dir);
    }

    @Test
    void aRestoredSnapshotReplayedUpToJustBeforeAPrefixDeleteHasEveryDeletedKeyBackAtExactlyTheTargetRevision()
            throws Exception {
        replayUpToJustBeforeAPrefixDelete(0);
    }

    /**
     * etcd 3.5's restore bumps the revision (Kubernetes' watch caches must not see it go back), so the replayed
     * revisions are the source's plus the bump: the replay is proven by the count of transactions applied, each
     * answered at the next revision, and by every replayed key read back, not by the source's revision numbers.
     */
    @Test
    void onEtcd35WithTheRevisionBumpedTheReplayAppliesOneRevisionPerOriginalAndEndsAtTheTargetPlusTheBump()
            throws Exception {
        assumeTrue(Files.isExecutable(EtcdRelease.binDir("3.5").resolve("etcdutl")),
                "etcd 3.5 could not be fetched (scripts/etcd-debian.sh 3.5)");
        System.setProperty(EtcdRelease.PROPERTY, "3.5");
        replayUpToJustBeforeAPrefixDelete(EtcdTools.DEFAULT_BUMP_REVISION);
    }

    /**
     * The plan {@code etcd-point-in-time-restore} as the engine runs it: every step of the quorum restore's runbook
     * with a target, the change log read through a {@link ChangeLogSource} serving the segments recorded from the
     * source, on etcd 3.4 (the restore keeps the snapshot's revision, so the target is the cluster's revision).
     */
    @Test
    void thePointInTimeRestorePlanRunsEveryStepAndEndsWithTheSourcesKeyspaceAtExactlyTheTargetRevision()
            throws Exception {
        restoreToJustBeforeAPrefixDeleteWithThePlan(0);
    }

    /** The same plan on etcd 3.5 with the revision bumped: the keyspace is the source's, the revision target + bump. */
    @Test
    void onEtcd35ThePointInTimeRestorePlanEndsWithTheSourcesKeyspaceAtTheTargetPlusTheBump() throws Exception {
        assumeTrue(Files.isExecutable(EtcdRelease.binDir("3.5").resolve("etcdutl")),
                "etcd 3.5 could not be fetched (scripts/etcd-debian.sh 3.5)");
        System.setProperty(EtcdRelease.PROPERTY, "3.5");
        restoreToJustBeforeAPrefixDeleteWithThePlan(EtcdTools.DEFAULT_BUMP_REVISION);
    }

    private void restoreToJustBeforeAPrefixDeleteWithThePlan(long bump) throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), "pitr", 3)) {
            // given a snapshot of 300 keys, then 150 more, an overwrite, a delete and a lease key after it
            etcd.putKeys("/important/", 300);
            Path snapshot = dir.resolve("snapshot.db");
            try (OutputStream out = Files.newOutputStream(snapshot)) {
                etcd.client().getMaintenanceClient().snapshot(out).get(60, TimeUnit.SECONDS);
            }
            long snapshotRevision = etcd.revision();
            long snapshotKeys = etcd.countKeys();
            etcd.putKeys("/important/later/", 150);
            put(etcd, "/important/000007", "changed after the snapshot", 0);
            etcd.client().getKVClient().delete(bytes("/important/000008")).get(10, TimeUnit.SECONDS);
            long lease = etcd.client().getLeaseClient().grant(600).get(10, TimeUnit.SECONDS).getID();
            put(etcd, "/important/leader-lock", "held", lease);
            long target = etcd.revision();
            Map<String, String> atTarget = keyspace(etcd, target);
            // and then /important/ deleted by accident, and one more write
            deletePrefix(etcd, "/important/");
            put(etcd, "/after/the/delete", "not wanted back", 0);
            List<byte[]> segments = recordSegments(etcd, snapshotRevision, etcd.revision());
            ClusterSpec spec = etcd.spec();
            SnapshotRef ref = new SnapshotRef(UUID.randomUUID().toString(), spec.id(), snapshotRevision, snapshotKeys,
                    Instant.now(), Sha256.hex(snapshot), "none", Files.size(snapshot));
            RecordedChangeLog changeLog = new RecordedChangeLog(segments);

            // when the point-in-time restore to the revision before the delete runs, approved
            ChangeReplayer replayer = new ChangeReplayer(null, CALL);
            RecoveryPlan done;
            try {
                done = runPlan(spec, ref, snapshot, bump, new EtcdQuorumRestorePlan.PointInTime(target, changeLog,
                        replayer));
            } finally {
                replayer.close();
            }

            // then every step ran (v2 keys and hooks have nothing to do) and the cluster is the source at the target
            assertThat(done.state()).as(done.message()).isEqualTo(PlanState.SUCCEEDED);
            assertThat(done.targetRevision()).isEqualTo(target);
            assertThat(done.steps()).extracting(PlanStep::name, PlanStep::state).containsExactly(
                    tuple("fetch-snapshot", StepState.SUCCEEDED), tuple("fetch-change-log", StepState.SUCCEEDED),
                    tuple("stop-members", StepState.SUCCEEDED), tuple("restore-members", StepState.SUCCEEDED),
                    tuple("start-members", StepState.SUCCEEDED), tuple("verify-restore", StepState.SUCCEEDED),
                    tuple("replay-changes", StepState.SUCCEEDED), tuple("verify-point", StepState.SUCCEEDED),
                    tuple("restore-v2-keys", StepState.SKIPPED), tuple("post-restore-hooks", StepState.SKIPPED));
            assertThat(etcd.revision()).isEqualTo(target + bump);
            assertThat(keyspace(etcd, 0)).isEqualTo(atTarget);
            assertThat(atTarget).hasSize(449 + 1).containsEntry("/important/000007", "changed after the snapshot")
                    .doesNotContainKey("/important/000008").doesNotContainKey("/after/the/delete");
            long importantAtTarget = atTarget.keySet().stream().filter(k -> k.startsWith("/important/")).count();
            assertThat(done.step(7).output()).contains("restored to revision " + target)
                    .contains(bump == 0 ? "the cluster's revision exactly" : "the target plus the restore's bump " + bump)
                    .contains("then " + (target - snapshotRevision) + " revisions replayed")
                    .contains("not applied: " + (importantAtTarget + 1) + " changes after the target, in revisions "
                            + (target + 1) + ".." + (target + 2));
            assertThat(changeLog.downloads()).as("each segment downloaded once").doesNotHaveDuplicates()
                    .isNotEmpty();
        }
    }

    private void replayUpToJustBeforeAPrefixDelete(long bump) throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), "pitr", 3)) {
            // given a snapshot holding 300 keys under /important/ and 200 under /scratch/
            etcd.putKeys("/important/", 300);
            etcd.putKeys("/scratch/", 200);
            Path snapshot = dir.resolve("snapshot.db");
            try (OutputStream out = Files.newOutputStream(snapshot)) {
                etcd.client().getMaintenanceClient().snapshot(out).get(60, TimeUnit.SECONDS);
            }
            long snapshotRevision = etcd.revision();
            long snapshotKeys = etcd.countKeys();
            // and after it: 150 more important keys (100 and 50 to a transaction), one overwritten, one deleted, a
            // key under a lease, and the 200 scratch keys deleted as one prefix (200 changes in one revision)
            etcd.putKeys("/important/later/", 150);
            put(etcd, "/important/000007", "changed after the snapshot", 0);
            etcd.client().getKVClient().delete(bytes("/important/000008")).get(10, TimeUnit.SECONDS);
            long lease = etcd.client().getLeaseClient().grant(600).get(10, TimeUnit.SECONDS).getID();
            put(etcd, "/important/leader-lock", "held", lease);
            deletePrefix(etcd, "/scratch/");
            long target = etcd.revision();
            Map<String, String> atTarget = keyspace(etcd, target);
            // when someone deletes /important/ by accident, and writes go on
            deletePrefix(etcd, "/important/");
            put(etcd, "/after/the/delete", "not wanted back", 0);
            assertThat(keyspace(etcd, 0)).doesNotContainKey("/important/000001");
            List<byte[]> segments = recordSegments(etcd, snapshotRevision, etcd.revision());

            // and the whole cluster is restored from the snapshot as a new cluster
            ClusterSpec spec = etcd.spec();
            SnapshotRef ref = new SnapshotRef(UUID.randomUUID().toString(), spec.id(), snapshotRevision, snapshotKeys,
                    Instant.now(), Sha256.hex(snapshot), "none", Files.size(snapshot));
            RecoveryPlan restored = restoreSnapshot(spec, ref, snapshot, bump);
            assertThat(restored.state()).as(restored.message()).isEqualTo(PlanState.SUCCEEDED);
            long start = snapshotRevision + bump;
            assertThat(etcd.revision()).as("a snapshot restore keeps the snapshot's revision, plus 3.5's bump")
                    .isEqualTo(start);

            // when the change log is replayed up to the revision before the delete
            ReplayPlan replay = ReplayPlan.of(snapshotRevision, target, RecordedChangeLog.refs(segments));
            Map<Long, byte[]> byId = new HashMap<>();
            segments.forEach(s -> byId.put(RecordedChangeLog.decode(s).segment().firstRevision(), s));
            List<ReplayPlan.Revision> revisions = replay.revisions(segment -> byId.get(segment.id()));
            ChangeReplayer replayer = new ChangeReplayer(null, CALL);
            ChangeReplay.Replayed done;
            try {
                done = replayer.replay(spec, start, revisions);

                // then the cluster is where the source was at the target: revision, keys and values
                assertThat(done.endRevision()).isEqualTo(target + bump);
                assertThat(etcd.revision()).isEqualTo(target + bump);
                assertThat(done.applied()).isEqualTo(target - snapshotRevision);
                assertThat(keyspace(etcd, 0)).isEqualTo(atTarget);
                assertThat(atTarget).hasSize(449 + 1).containsEntry("/important/000007", "changed after the snapshot")
                        .doesNotContainKey("/important/000008").doesNotContainKey("/scratch/000000")
                        .doesNotContainKey("/after/the/delete");
                assertThat(replayer.differences(spec, ReplayPlan.lastChangeOfEachKey(revisions))).isEmpty();
                // and the key the source held under a lease is back without it, and the result says so
                assertThat(done.leaseDetached()).isEqualTo(1);
                KeyValue lock = etcd.client().getKVClient().get(bytes("/important/leader-lock"))
                        .get(10, TimeUnit.SECONDS).getKvs().get(0);
                assertThat(lock.getLease()).isZero();
                // and replaying again finds everything done: nothing is applied twice
                assertThat(replayer.replay(spec, start, revisions).applied()).isZero();
                assertThat(etcd.revision()).isEqualTo(target + bump);
            } finally {
                replayer.close();
            }
        }
    }

    /** Every key and value at a revision (0: the newest). */
    private static Map<String, String> keyspace(EtcdCluster etcd, long revision) throws Exception {
        ByteSequence zero = ByteSequence.from(new byte[] {0});
        GetOption.Builder option = GetOption.builder().withRange(zero);
        if (revision > 0) {
            option.withRevision(revision);
        }
        Map<String, String> keys = new TreeMap<>();
        for (KeyValue kv : etcd.client().getKVClient().get(zero, option.build()).get(10, TimeUnit.SECONDS).getKvs()) {
            keys.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
        }
        return keys;
    }

    private static void put(EtcdCluster etcd, String key, String value, long lease) throws Exception {
        etcd.client().getKVClient().put(bytes(key), bytes(value), PutOption.builder().withLeaseId(lease).build())
                .get(10, TimeUnit.SECONDS);
    }

    private static void deletePrefix(EtcdCluster etcd, String prefix) throws Exception {
        etcd.client().getKVClient().delete(bytes(prefix), io.etcd.jetcd.options.DeleteOption.builder()
                .isPrefix(true).build()).get(10, TimeUnit.SECONDS);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    /** restore-service's quorum-restore steps with the real adapters, approved already; the catalog serves the file. */
    private RecoveryPlan restoreSnapshot(ClusterSpec spec, SnapshotRef ref, Path file, long bump) throws Exception {
        return runPlan(spec, ref, file, bump, null);
    }

    /** The quorum restore's runbook, with a point in time as {@code etcd-point-in-time-restore}. */
    private RecoveryPlan runPlan(ClusterSpec spec, SnapshotRef ref, Path file, long bump,
            EtcdQuorumRestorePlan.PointInTime point) throws Exception {
        return QuorumRestoreRun.run(spec, ref, file, bump, point, dir.resolve("plan-snapshots"));
    }

    /** etcd's watch from the snapshot's next revision cut into segments of 120 changes or more. */
    private static List<byte[]> recordSegments(EtcdCluster etcd, long snapshotRevision, long last) {
        List<byte[]> segments = RecordedChangeLog.record(etcd, snapshotRevision, last, 120);
        assertThat(segments).hasSizeGreaterThan(2);
        return segments;
    }
}
