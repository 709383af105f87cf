package dev.cpr.restore.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlanDigestTest {

    private static final SnapshotRef SNAPSHOT = new SnapshotRef("backup-1", "test", 1200, 10_000,
            Instant.parse("2026-01-01T09:00:00Z"), "aa".repeat(32), "none", 4096L);

    private final RecoveryPlan waiting = Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2"))
            .withState(PlanState.AWAITING_APPROVAL, "waits for a person", Plans.CREATED).withSnapshot(SNAPSHOT);

    @Test
    void theDigestIsStableWhileThePlanWaitsAndRuns() {
        String digest = PlanDigest.of(waiting);

        assertThat(digest).startsWith("sha256:").hasSize("sha256:".length() + 64);
        assertThat(PlanDigest.of(waiting.withState(PlanState.RUNNING, "approved", Plans.CREATED))).isEqualTo(digest);
        assertThat(PlanDigest.of(Plans.withStates(waiting, StepState.SUCCEEDED))).isEqualTo(digest);
        assertThat(PlanDigest.shortForm(digest)).hasSize(12).isEqualTo(digest.substring(7, 19));
    }

    @Test
    void anotherSnapshotAnotherTargetOrOtherStepsGiveAnotherDigest() {
        String digest = PlanDigest.of(waiting);
        SnapshotRef older = new SnapshotRef("backup-0", "test", 900, 9_000, Instant.parse("2026-01-01T08:00:00Z"),
                "bb".repeat(32), "none", 4000L);
        RecoveryPlan otherMember = new RecoveryPlan(waiting.id(), waiting.incidentId(), waiting.clusterId(),
                waiting.plan(), "etcd-3", waiting.state(), waiting.mode(), waiting.createdAt(), waiting.updatedAt(),
                waiting.detectedAt(), null, waiting.message(), waiting.sequence(), EtcdMemberReplacePlan.outline("etcd-3"))
                .withSnapshot(SNAPSHOT);

        assertThat(PlanDigest.of(waiting.withSnapshot(older))).isNotEqualTo(digest);
        assertThat(PlanDigest.of(otherMember)).isNotEqualTo(digest);
        assertThat(PlanDigest.of(Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2")
                .subList(0, 3)))).isNotEqualTo(PlanDigest.of(Plans.running("etcd-member-replace",
                EtcdMemberReplacePlan.outline("etcd-2"))));
    }
}
