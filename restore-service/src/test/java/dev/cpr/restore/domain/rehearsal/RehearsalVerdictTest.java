package dev.cpr.restore.domain.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RehearsalVerdictTest {

    private static final Instant T0 = Instant.parse("2026-12-04T05:00:00Z");
    private static final SnapshotRef SNAPSHOT = new SnapshotRef("snap-1", "prod", 100, 40, T0, "ab", "none", 10L);
    private static final ClusterSpec SCRATCH = new ClusterSpec("prod-rehearsal-1", ClusterKind.ETCD, null, null,
            List.of(new MemberSpec("etcd-1", "http://127.0.0.1:1", "http://127.0.0.1:2", "/s/etcd-1", null)), null);

    /** A restore to revision 150 whose steps each took a second, the first from T0, finished at T0 + 10 s. */
    private static RecoveryPlan ended(PlanState state, int failedAt) {
        List<PlanStep> steps = new ArrayList<>();
        for (PlanStep s : EtcdQuorumRestorePlan.outline(SCRATCH, SNAPSHOT, 150L)) {
            Instant start = T0.plusSeconds(s.index());
            PlanStep started = s.attemptStarted(start);
            steps.add(s.index() == failedAt ? started.failed(start.plusMillis(500), "etcdctl exited 1")
                    : started.succeeded(start.plusMillis(1000), "done"));
        }
        return new RecoveryPlan("plan-1", "rehearsal-1", SCRATCH.id(), "etcd-quorum-restore", null, state,
                RecoveryMode.APPROVAL, T0, T0.plusSeconds(10), T0, null, "ended", 20, steps).withSnapshot(SNAPSHOT)
                .withTargetRevision(150L);
    }

    @Test
    void aSucceededPlanAtExactlyTheTargetWithNothingLeftPassesWithTheRtoFromItsFirstStepToItsEnd() {
        RehearsalVerdict.Judged judged = RehearsalVerdict.judge(ended(PlanState.SUCCEEDED, -1),
                Optional.of(new EtcdAdmin.Keyspace(70, 150)), 0, List.of());

        assertThat(judged.verdict()).isEqualTo(Rehearsal.Verdict.PASSED);
        assertThat(judged.rtoMillis()).isEqualTo(10_000);
        assertThat(judged.reason()).contains("restored to revision 150 in 10000 ms").contains("70 keys");
        assertThat(RehearsalVerdict.stepTimes(ended(PlanState.SUCCEEDED, -1))).hasSize(10)
                .allSatisfy(step -> assertThat(step.millis()).isEqualTo(1000));
    }

    @Test
    void theTargetPlusTheBumpPassesOnlyWhenABumpWasConfigured() {
        var bumped = Optional.of(new EtcdAdmin.Keyspace(70, 150 + 1_000_000_000L));

        assertThat(RehearsalVerdict.judge(ended(PlanState.SUCCEEDED, -1), bumped, 1_000_000_000L, List.of())
                .verdict()).isEqualTo(Rehearsal.Verdict.PASSED);
        assertThat(RehearsalVerdict.judge(ended(PlanState.SUCCEEDED, -1), bumped, 0, List.of()).reason())
                .contains("not at the target 150");
    }

    @Test
    void aFailedPlanAnotherRevisionOrALeftoverFailsTheRehearsalNamingWhy() {
        RehearsalVerdict.Judged failed = RehearsalVerdict.judge(ended(PlanState.FAILED, 3), Optional.empty(), 0,
                List.of());
        RehearsalVerdict.Judged short_ = RehearsalVerdict.judge(ended(PlanState.SUCCEEDED, -1),
                Optional.of(new EtcdAdmin.Keyspace(70, 149)), 0, List.of());
        RehearsalVerdict.Judged left = RehearsalVerdict.judge(ended(PlanState.SUCCEEDED, -1),
                Optional.of(new EtcdAdmin.Keyspace(70, 150)), 0, List.of("etcd-1 (pid 42) still running"));

        assertThat(failed.verdict()).isEqualTo(Rehearsal.Verdict.FAILED);
        assertThat(failed.reason()).startsWith("the plan ended FAILED at restore-members");
        assertThat(failed.rtoMillis()).isNull();
        assertThat(short_.reason()).isEqualTo("the scratch cluster is at revision 149, not at the target 150");
        assertThat(left.verdict()).isEqualTo(Rehearsal.Verdict.FAILED);
        assertThat(left.reason()).contains("NOT cleaned up: etcd-1 (pid 42) still running");
    }

    @Test
    void aKeyspaceHashOtherThanTheSourcesFailsTheRehearsalNamingBothHashes() {
        RehearsalVerdict.Judged judged = RehearsalVerdict.judge(ended(PlanState.SUCCEEDED, -1),
                Optional.of(new EtcdAdmin.Keyspace(70, 150)), 0, List.of(), HashCheck.compared(150, 1111, 2222));

        assertThat(judged.verdict()).isEqualTo(Rehearsal.Verdict.FAILED);
        assertThat(judged.reason()).contains("the keyspace hash at revision 150 differs: the scratch cluster's 1111, "
                + "the source's 2222");
        assertThat(judged.rtoMillis()).isEqualTo(10_000);
    }

    @Test
    void anEqualHashOrOneNotComparedPassesAndTheReasonSaysWhich() {
        RehearsalVerdict.Judged equal = RehearsalVerdict.judge(ended(PlanState.SUCCEEDED, -1),
                Optional.of(new EtcdAdmin.Keyspace(70, 150)), 0, List.of(), HashCheck.compared(150, 1111, 1111));
        RehearsalVerdict.Judged compacted = RehearsalVerdict.judge(ended(PlanState.SUCCEEDED, -1),
                Optional.of(new EtcdAdmin.Keyspace(70, 150)), 0, List.of(), HashCheck.sourceCompacted(150));

        assertThat(equal.verdict()).isEqualTo(Rehearsal.Verdict.PASSED);
        assertThat(equal.reason()).contains("keyspace hash 1111 at revision 150 equal to the source's");
        assertThat(compacted.verdict()).isEqualTo(Rehearsal.Verdict.PASSED);
        assertThat(compacted.reason()).contains("hash not compared: source compacted past revision 150");
    }
}
