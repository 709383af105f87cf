package dev.cpr.restore.domain.etcd;

import static dev.cpr.contracts.recovery.StepState.FAILED;
import static dev.cpr.contracts.recovery.StepState.PENDING;
import static dev.cpr.contracts.recovery.StepState.SKIPPED;
import static dev.cpr.contracts.recovery.StepState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.SegmentCodec;
import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.kernel.Sha256;
import dev.cpr.restore.domain.plan.InMemoryPlanStore;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.Plans;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ChangeReplay;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import dev.cpr.restore.domain.snapshot.InMemorySnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point-in-time steps of the quorum restore's runbook ({@code fetch-change-log}, {@code replay-changes},
 * {@code verify-point}) on fakes: the cluster, the change log backup-service serves, and the replayer.
 */
class PointInTimeStepsTest {

    private static final String PLAN_ID = "7a1c0c2a-0000-4000-8000-000000000001";
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:04Z");
    private static final byte[] CONTENT = "a v3 snapshot of test".getBytes(StandardCharsets.UTF_8);
    /** The fake cluster's snapshot: 10 000 keys at revision 10 001. */
    private static final long SNAPSHOT_REVISION = 10_001;

    @TempDir
    Path snapshots;

    private final FakeEtcdCluster cluster = new FakeEtcdCluster("etcd-1", "etcd-2", "etcd-3");
    private final InMemoryPlanStore store = new InMemoryPlanStore();
    private final InMemorySnapshotCatalog catalog = new InMemorySnapshotCatalog();
    private final FakeChangeLog changeLog = new FakeChangeLog();
    private final FakeReplay replay = new FakeReplay();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final SnapshotRef snapshot = new SnapshotRef("snap-1", "test", SNAPSHOT_REVISION, 10_000,
            Instant.parse("2026-01-01T09:58:00Z"), Sha256.hex(CONTENT), "none", (long) CONTENT.length);
    private long bump = 0;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void withoutATargetTheThreeChangeLogStepsAreSkippedAndTheChangeLogIsNeverAsked() throws Exception {
        catalog.add(snapshot, CONTENT);
        changeLog.add(10_002, 10_040);

        RecoveryPlan result = engine().run(stored(null));

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(List.of(result.step(1), result.step(6), result.step(7)))
                .extracting(PlanStep::name, PlanStep::state, PlanStep::output)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("fetch-change-log", SKIPPED, ChangeLogReplay.NO_TARGET),
                        org.assertj.core.groups.Tuple.tuple("replay-changes", SKIPPED, ChangeLogReplay.NO_TARGET),
                        org.assertj.core.groups.Tuple.tuple("verify-point", SKIPPED, ChangeLogReplay.NO_TARGET));
        assertThat(changeLog.calls).isZero();
        assertThat(replay.replays).isEmpty();
    }

    @Test
    void aGapInTheChangeLogFailsThePlanAtFetchChangeLogNamingTheRevisionsBeforeAnyMemberIsStopped() throws Exception {
        catalog.add(snapshot, CONTENT);
        changeLog.add(10_002, 10_040);
        changeLog.add(10_051, 10_090);

        RecoveryPlan result = engine().run(stored(10_080L));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.step(1).state()).isEqualTo(FAILED);
        assertThat(result.step(1).attempts()).as("a gap is not retried").isEqualTo(1);
        assertThat(result.message()).contains("fetch-change-log").contains("gap: revisions 10041..10050")
                .contains("nothing was stopped or changed");
        assertThat(result.steps().subList(2, result.steps().size())).extracting(PlanStep::state).containsOnly(PENDING);
        assertThat(cluster.stopped).isEmpty();
        assertThat(cluster.calls("restore")).isZero();
        assertThat(changeLog.downloads).as("nothing downloaded from a broken chain").isEmpty();
    }

    @Test
    void aTargetBeforeTheSnapshotIsRefusedAtFetchChangeLogBeforeAnyMemberIsStopped() throws Exception {
        catalog.add(snapshot, CONTENT);
        changeLog.add(9_000, 10_040);

        RecoveryPlan result = engine().run(stored(9_500L));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.step(1).state()).isEqualTo(FAILED);
        assertThat(result.message()).contains("target revision 9500 is before the snapshot's revision 10001");
        assertThat(cluster.stopped).isEmpty();
    }

    @Test
    void aSegmentWhoseBytesDoNotMatchTheListingIsRefusedAndNotKept() throws Exception {
        catalog.add(snapshot, CONTENT);
        changeLog.add(10_002, 10_040);
        changeLog.corrupt(10_002);

        RecoveryPlan result = engine().run(stored(10_030L));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.message()).contains("sha256 of change log segment 10002..10040 of test is")
                .contains("nothing was stopped or changed");
        assertThat(cluster.stopped).isEmpty();
        try (var files = Files.list(snapshots.resolve("test").resolve(PLAN_ID + "-changes"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".seg"));
        }
    }

    @Test
    void aFetchResumedAfterAFailedDownloadFetchesOnlyTheSegmentsItDidNotHaveAndThenNothing() throws Exception {
        changeLog.add(10_002, 10_040);
        changeLog.add(10_041, 10_080);
        changeLog.add(10_081, 10_120);
        changeLog.failOnce(10_081);
        StepSpec fetch = steps(10_100L).get(1);
        assertThat(fetch.name()).isEqualTo("fetch-change-log");

        assertThat(fetch.check().alreadyDone()).isEmpty();
        assertThatThrownBy(() -> fetch.action().run()).hasMessageContaining("backup-service dropped the connection");
        assertThat(fetch.check().alreadyDone()).as("not done while a segment is missing").isEmpty();
        String output = fetch.action().run();
        fetch.verify().verify();

        assertThat(changeLog.downloads).containsExactly(10_002L, 10_041L, 10_081L, 10_081L);
        assertThat(output).contains("99 revisions 10002..10100 from 3 segments")
                .contains("downloaded 1 of 3 segments").contains("2 here already");
        assertThat(fetch.check().alreadyDone()).hasValueSatisfying(done -> assertThat(done)
                .contains("99 revisions 10002..10100 from 3 segments").contains("were downloaded and checked"));
        assertThat(changeLog.downloads).as("a check after the fetch downloads nothing").hasSize(4);
    }

    @Test
    void aRestoreToATargetReplaysFromTheSnapshotsRevisionAndVerifiesThePointAndWhatWasLeftOut() throws Exception {
        catalog.add(snapshot, CONTENT);
        changeLog.add(9_990, 10_040);
        changeLog.add(10_041, 10_080);
        changeLog.add(10_081, 10_120);

        RecoveryPlan result = engine().run(stored(10_100L));

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(result.steps()).extracting(PlanStep::state).containsExactly(SUCCEEDED, SUCCEEDED, SUCCEEDED,
                SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, SKIPPED, SKIPPED);
        assertThat(replay.replays).containsExactly("from 10001: 99 revisions 10002..10100");
        assertThat(result.step(6).destructive()).isTrue();
        assertThat(result.step(6).output()).contains("replayed revisions 10002..10100 of the change log into test "
                + "from cluster revision 10001: 99 transactions now");
        assertThat(result.step(7).output()).contains("test restored to revision 10100, the cluster's revision "
                + "exactly: snapshot snap-1 at revision 10001, then 99 revisions replayed")
                .contains("not applied: 20 changes after the target, in revisions 10101..10120");
        assertThat(replay.checkedKeys).as("verify-point reads each replayed key back once").isEqualTo(99);
    }

    @Test
    void afterARestoreThatBumpedTheRevisionTheReplayStartsAtTheSnapshotPlusTheBumpAndEndsAtTheTargetPlusIt()
            throws Exception {
        bump = EtcdTools.DEFAULT_BUMP_REVISION;
        cluster.revision = SNAPSHOT_REVISION + bump;
        catalog.add(snapshot, CONTENT);
        changeLog.add(10_002, 10_040);

        RecoveryPlan result = engine().run(stored(10_040L));

        assertThat(result.state()).as(result.message()).isEqualTo(PlanState.SUCCEEDED);
        assertThat(replay.replays).containsExactly("from " + (SNAPSHOT_REVISION + bump) + ": 39 revisions 10002..10040");
        assertThat(result.step(7).output()).contains("cluster revision " + (10_040 + bump)
                + ": the target plus the restore's bump " + bump)
                .contains("not applied: nothing, the change log holds no change after revision 10040");
    }

    @Test
    void aReplayedKeyThatReadsBackDifferentlyFailsVerifyPointNamingIt() throws Exception {
        catalog.add(snapshot, CONTENT);
        changeLog.add(10_002, 10_040);
        replay.differences = List.of("/k/10007: the cluster holds 'x', the source 'v10007'");

        RecoveryPlan result = engine().run(stored(10_040L));

        assertThat(result.state()).isEqualTo(PlanState.FAILED);
        assertThat(result.step(7).state()).isEqualTo(FAILED);
        assertThat(result.message()).contains("verify-point").contains("1 of the 39 replayed keys of test differ")
                .contains("/k/10007");
    }

    // fixtures

    private EtcdQuorumRestorePlan.Settings settings() {
        return new EtcdQuorumRestorePlan.Settings(snapshots, Duration.ofMillis(10), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), "etcdctl", "etcdutl", List.of(),
                bump);
    }

    private List<StepSpec> steps(Long target) {
        return plan(PLAN_ID, target).steps();
    }

    private EtcdQuorumRestorePlan plan(String planId, Long target) {
        EtcdQuorumRestorePlan.PointInTime point = target == null ? null
                : new EtcdQuorumRestorePlan.PointInTime(target, changeLog, replay);
        return new EtcdQuorumRestorePlan(cluster.spec, planId, snapshot, point, catalog, cluster, cluster, settings(),
                d -> { });
    }

    private PlanEngine engine() {
        return new PlanEngine(store, p -> plan(p.id(), p.targetRevision()).steps(), new PlanListener() { }, executor,
                Clock.fixed(NOW, ZoneOffset.UTC), d -> { });
    }

    private RecoveryPlan stored(Long target) {
        RecoveryPlan plan = new RecoveryPlan(PLAN_ID, "manual-1", "test", "etcd-point-in-time-restore", null,
                PlanState.RUNNING, RecoveryMode.APPROVAL, Plans.CREATED, Plans.CREATED, null, null, "restore", 2,
                EtcdQuorumRestorePlan.outline(cluster.spec, snapshot, target)).withSnapshot(snapshot)
                .withTargetRevision(target);
        store.insert(plan);
        return plan;
    }

    /** backup-service's change log of cluster {@code test}: one put of key {@code /k/<revision>} per revision. */
    private static final class FakeChangeLog implements ChangeLogSource {

        private final Map<Long, byte[]> bytes = new HashMap<>();
        private final Map<Long, ReplayPlan.SegmentRef> refs = new HashMap<>();
        private final List<Long> failOnce = new ArrayList<>();
        final List<Long> downloads = new ArrayList<>();
        int calls;

        void add(long first, long last) {
            List<Change> changes = new ArrayList<>();
            for (long r = first; r <= last; r++) {
                changes.add(Change.put(r, ("/k/" + r).getBytes(StandardCharsets.UTF_8),
                        ("v" + r).getBytes(StandardCharsets.UTF_8), 0, r, 1, NOW));
            }
            byte[] stored = SegmentCodec.encode("test", changes, NOW, NOW.plusSeconds(1)).bytes();
            bytes.put(first, stored);
            refs.put(first, new ReplayPlan.SegmentRef(first, first, last, changes.size(), Sha256.hex(stored)));
        }

        /** The stored bytes no longer match the listing's sha256 (one byte flipped). */
        void corrupt(long id) {
            bytes.get(id)[10] ^= 1;
        }

        /** The next download of this segment fails like a dropped connection. */
        void failOnce(long id) {
            failOnce.add(id);
        }

        @Override
        public List<ReplayPlan.SegmentRef> segments(String clusterId, long after, long upTo) {
            calls++;
            return refs.values().stream().filter(s -> s.lastRevision() > after && s.firstRevision() <= upTo)
                    .sorted(java.util.Comparator.comparingLong(ReplayPlan.SegmentRef::firstRevision)).toList();
        }

        @Override
        public byte[] segment(String clusterId, long id) {
            calls++;
            downloads.add(id);
            if (failOnce.remove(Long.valueOf(id))) {
                throw new ChangeLogUnavailable("the change log of cluster " + clusterId + ": backup-service dropped "
                        + "the connection");
            }
            return bytes.get(id).clone();
        }

        @Override
        public Optional<RevisionAt> revisionAt(String clusterId, Instant time) {
            calls++;
            return Optional.empty();
        }
    }

    /** Applies a replay to the fake cluster's revision; reads back what {@link #differences} is set to. */
    private final class FakeReplay implements ChangeReplay {

        final List<String> replays = new ArrayList<>();
        List<String> differences = List.of();
        int checkedKeys;

        @Override
        public Replayed replay(ClusterSpec spec, long startRevision, List<ReplayPlan.Revision> revisions) {
            replays.add("from " + startRevision + ": " + revisions.size() + " revisions "
                    + revisions.get(0).revision() + ".." + revisions.get(revisions.size() - 1).revision());
            long done = cluster.revision - startRevision;
            cluster.revision = startRevision + revisions.size();
            long changes = revisions.stream().mapToLong(r -> r.changes().size()).sum();
            return new Replayed(done, revisions.size() - done, changes, 0, cluster.revision);
        }

        @Override
        public List<String> differences(ClusterSpec spec, List<Change> expected) {
            checkedKeys += expected.size();
            return differences;
        }
    }
}
