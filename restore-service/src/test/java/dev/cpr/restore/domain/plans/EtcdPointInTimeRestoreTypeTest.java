package dev.cpr.restore.domain.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.kernel.MeltdownGuard;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.etcd.FakeEtcdCluster;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import dev.cpr.restore.domain.snapshot.InMemorySnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a person's trigger becomes an {@code etcd-point-in-time-restore}: its target, and the snapshot it starts from. */
class EtcdPointInTimeRestoreTypeTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant NINE = Instant.parse("2026-01-01T09:00:00Z");

    private final ClusterSpec cluster = new FakeEtcdCluster("etcd-1", "etcd-2", "etcd-3").spec;
    private final InMemorySnapshotCatalog catalog = new InMemorySnapshotCatalog()
            .add(snapshot("snap-old", 1_000, "2026-01-01T06:00:00Z"), new byte[] {1})
            .add(snapshot("snap-mid", 5_000, "2026-01-01T08:00:00Z"), new byte[] {2})
            .add(snapshot("snap-new", 9_000, "2026-01-01T09:30:00Z"), new byte[] {3});
    /** The change log saw revision 7 321 at 09:00. */
    private final ChangeLogSource changeLog = new ChangeLogSource() {
        @Override
        public List<ReplayPlan.SegmentRef> segments(String clusterId, long after, long upTo) {
            return List.of();
        }

        @Override
        public byte[] segment(String clusterId, long id) {
            return new byte[0];
        }

        @Override
        public Optional<RevisionAt> revisionAt(String clusterId, Instant time) {
            return time.isBefore(NINE) ? Optional.empty() : Optional.of(new RevisionAt(7_321, NINE));
        }
    };
    private final Planner planner = new Planner(new Inventory(List.of(cluster)), catalog, null,
            MeltdownGuard.BOSH_DEFAULTS, null, changeLog);
    private final PlanType type = PlanTypes.of(PlanNames.ETCD_POINT_IN_TIME_RESTORE);

    private static SnapshotRef snapshot(String id, long revision, String taken) {
        return new SnapshotRef(id, "test", revision, 100, Instant.parse(taken), "ab" + revision, "none", 10L);
    }

    private ManualTrigger trigger(String snapshotId, Long targetRevision, Instant targetTime) {
        return new ManualTrigger(cluster, PlanNames.ETCD_POINT_IN_TIME_RESTORE, null, snapshotId, "alice", "plan-1",
                "manual-plan-1", NOW, targetRevision, targetTime);
    }

    @Test
    void aTargetRevisionStartsFromTheNewestVerifiedSnapshotAtOrBeforeItAndWaitsForApproval() {
        RecoveryPlan plan = type.trigger(trigger(null, 6_000L, null), planner);

        assertThat(plan.state()).isEqualTo(PlanState.AWAITING_APPROVAL);
        assertThat(plan.mode()).isEqualTo(RecoveryMode.APPROVAL);
        assertThat(plan.snapshot().id()).isEqualTo("snap-mid");
        assertThat(plan.targetRevision()).isEqualTo(6_000L);
        assertThat(plan.message()).contains("snapshot snap-mid (revision 5000")
                .contains("replay the change log to revision 6000, 1000 revisions after the snapshot (approval)");
        assertThat(plan.steps()).filteredOn(PlanStep::destructive).extracting(PlanStep::name)
                .containsExactly("restore-members", "replay-changes");
    }

    @Test
    void aTargetTimeIsResolvedToTheRevisionTheChangeLogSawAtItWhenProposed() {
        RecoveryPlan plan = type.trigger(trigger(null, null, NINE.plusSeconds(90)), planner);

        assertThat(plan.targetRevision()).isEqualTo(7_321L);
        assertThat(plan.snapshot().id()).isEqualTo("snap-mid");
        assertThat(plan.message()).contains("to revision 7321 (the revision at 2026-01-01T09:01:30Z: its change was "
                + "seen at 2026-01-01T09:00:00Z)");
    }

    @Test
    void aTimeBeforeAnythingTheChangeLogRecordedIsA400NamingTargetTime() {
        assertThatThrownBy(() -> type.trigger(trigger(null, null, NINE.minusSeconds(1)), planner))
                .isInstanceOfSatisfying(TriggerRefused.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(TriggerRefused.Kind.INVALID_REQUEST);
                    assertThat(refused.title()).isEqualTo("Bad request parameter 'targetTime'");
                    assertThat(refused.detail()).contains("holds no change at or before 2026-01-01T08:59:59Z");
                });
    }

    @Test
    void aTargetBeforeEveryVerifiedSnapshotIsRefusedAsNothingRestorable() {
        assertThatThrownBy(() -> type.trigger(trigger(null, 999L, null), planner))
                .isInstanceOfSatisfying(TriggerRefused.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(TriggerRefused.Kind.NOTHING_RESTORABLE);
                    assertThat(refused.detail()).isEqualTo("backup-service has no verified snapshot of test at or "
                            + "before revision 999");
                });
    }

    @Test
    void neitherOrBothTargetsAreRefusedNamingTheFields() {
        assertThatThrownBy(() -> type.trigger(trigger(null, null, null), planner))
                .isInstanceOfSatisfying(TriggerRefused.class, refused -> assertThat(refused.title())
                        .isEqualTo("Bad request parameter 'targetRevision'"));
        assertThatThrownBy(() -> type.trigger(trigger(null, 6_000L, NINE), planner))
                .isInstanceOfSatisfying(TriggerRefused.class, refused -> assertThat(refused.title())
                        .isEqualTo("Bad request parameters 'targetRevision' and 'targetTime'"));
    }

    @Test
    void aQuorumRestoreStoredBeforeTheChangeLogStepsExistedRunsTheSevenStepsItWasApprovedWith() {
        SnapshotRef ref = snapshot("snap-mid", 5_000, "2026-01-01T08:00:00Z");
        List<String> pointInTimeSteps = List.of("fetch-change-log", "replay-changes", "verify-point");
        List<PlanStep> oldOutline = EtcdQuorumRestorePlan.outline(cluster, ref).stream()
                .filter(step -> !pointInTimeSteps.contains(step.name())).toList();
        List<PlanStep> renumbered = new java.util.ArrayList<>();
        for (PlanStep step : oldOutline) {
            renumbered.add(PlanStep.pending(renumbered.size(), step.name(), step.description(), step.destructive()));
        }
        RecoveryPlan stored = new RecoveryPlan("plan-3", "inc-3", "test", PlanNames.ETCD_QUORUM_RESTORE, null,
                PlanState.AWAITING_APPROVAL, RecoveryMode.APPROVAL, NOW, NOW, NOW, null, "restore", 1, renumbered)
                .withSnapshot(ref);
        List<StepSpec> runbook = new EtcdQuorumRestorePlan(cluster, "plan-3", ref, catalog, null, null,
                new EtcdQuorumRestorePlan.Settings(java.nio.file.Path.of("target"), java.time.Duration.ofMillis(10),
                        java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), "etcdctl", "etcdutl",
                        List.of()), d -> { }).steps();

        assertThat(EtcdQuorumRestoreType.asStored(stored, runbook)).extracting(StepSpec::name)
                .containsExactly("fetch-snapshot", "stop-members", "restore-members", "start-members",
                        "verify-restore", "restore-v2-keys", "post-restore-hooks");
        assertThat(EtcdQuorumRestoreType.asStored(new RecoveryPlan("plan-4", "inc-4", "test",
                PlanNames.ETCD_QUORUM_RESTORE, null, PlanState.AWAITING_APPROVAL, RecoveryMode.APPROVAL, NOW, NOW,
                NOW, null, "restore", 1, EtcdQuorumRestorePlan.outline(cluster, ref)), runbook))
                .as("a plan stored with the ten steps runs all ten").hasSize(10);
    }

    @Test
    void aQuorumRestoreTriggerHasNoTargetAndOnlyThePointInTimeRestoreTakesOne() {
        RecoveryPlan restore = PlanTypes.of(PlanNames.ETCD_QUORUM_RESTORE)
                .trigger(new ManualTrigger(cluster, PlanNames.ETCD_QUORUM_RESTORE, null, null, "alice", "plan-2",
                        "manual-plan-2", NOW), planner);

        assertThat(restore.targetRevision()).isNull();
        assertThat(restore.snapshot().id()).isEqualTo("snap-new");
        assertThat(PlanTypes.of(PlanNames.ETCD_QUORUM_RESTORE).takesTarget()).isFalse();
        assertThat(type.takesTarget()).isTrue();
    }
}
