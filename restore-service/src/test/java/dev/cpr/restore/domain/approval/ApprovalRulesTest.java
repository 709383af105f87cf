package dev.cpr.restore.domain.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.approval.ApprovalChannel;
import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.approval.Decision;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.plan.PlanDigest;
import dev.cpr.restore.domain.plan.Plans;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApprovalRulesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:10:00Z");
    private static final ApprovalPolicy POLICY = new ApprovalPolicy(Duration.ofMinutes(10), Duration.ofMinutes(1),
            List.of());
    private static final ApprovalPolicy TWO_FOR_REPLACE = new ApprovalPolicy(Duration.ofMinutes(10),
            Duration.ofMinutes(1), List.of("test:etcd-member-replace"));

    private final RecoveryPlan waiting = Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2"))
            .withState(PlanState.AWAITING_APPROVAL, "waits for a person", Plans.CREATED);
    private final String digest = PlanDigest.of(waiting);

    private ApprovalDecided approval(Instant decidedAt, String signature) {
        return new ApprovalDecided("plan-1", "test", Decision.APPROVED, "U0ALICE", ApprovalChannel.SLACK, null,
                decidedAt, "approval-1", digest, signature);
    }

    private ApprovalRules.Verdict decide(String who, String namedDigest, Optional<String> first, ApprovalPolicy policy) {
        return ApprovalRules.against(Optional.of(waiting), "test", Decision.APPROVED, who, "SLACK", null, namedDigest,
                NOW, first, policy, NOW);
    }

    @Test
    void aSignedFreshApprovalIsVouchedForAndOthersAreRefusedSayingWhy() {
        assertThat(ApprovalRules.vouched(approval(NOW.minusSeconds(5), "c2ln"), true, POLICY, NOW)).isEmpty();

        assertThat(ApprovalRules.vouched(approval(NOW, null), false, POLICY, NOW)).get()
                .extracting(ApprovalRules.Refuse::refusal).isEqualTo(Refusal.UNSIGNED);
        assertThat(ApprovalRules.vouched(approval(NOW, "c2ln"), false, POLICY, NOW)).get()
                .extracting(ApprovalRules.Refuse::refusal).isEqualTo(Refusal.BAD_SIGNATURE);
        assertThat(ApprovalRules.vouched(approval(NOW.minus(Duration.ofMinutes(11)), "c2ln"), true, POLICY, NOW)).get()
                .satisfies(r -> assertThat(r.refusal()).isEqualTo(Refusal.STALE))
                .satisfies(r -> assertThat(r.why()).contains("not within the last PT10M"));
        assertThat(ApprovalRules.vouched(approval(NOW.plus(Duration.ofMinutes(2)), "c2ln"), true, POLICY, NOW)).get()
                .extracting(ApprovalRules.Refuse::refusal).isEqualTo(Refusal.STALE);
        ApprovalDecided noDigest = new ApprovalDecided("plan-1", "test", Decision.APPROVED, "U0ALICE",
                ApprovalChannel.SLACK, null, NOW, "approval-1", null, "c2ln");
        assertThat(ApprovalRules.vouched(noDigest, true, POLICY, NOW)).get()
                .extracting(ApprovalRules.Refuse::refusal).isEqualTo(Refusal.INCOMPLETE);
    }

    @Test
    void anApprovalNamingTheCurrentDigestRunsThePlan() {
        ApprovalRules.Verdict verdict = decide("U0ALICE", digest, Optional.empty(), POLICY);

        assertThat(verdict).isInstanceOf(ApprovalRules.Apply.class);
        assertThat(((ApprovalRules.Apply) verdict).plan().state()).isEqualTo(PlanState.RUNNING);
        assertThat(((ApprovalRules.Apply) verdict).digest()).isEqualTo(digest);
    }

    @Test
    void anApprovalOfAPlanThatChangedAfterItWasSeenIsRefused() {
        String seen = PlanDigest.of(Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-3")));

        ApprovalRules.Verdict verdict = decide("U0ALICE", seen, Optional.empty(), POLICY);

        assertThat(verdict).isInstanceOf(ApprovalRules.Refuse.class);
        assertThat(((ApprovalRules.Refuse) verdict).refusal()).isEqualTo(Refusal.DIGEST_MISMATCH);
        assertThat(((ApprovalRules.Refuse) verdict).why()).contains(seen).contains(digest);
    }

    @Test
    void anUnknownPlanAnotherClusterOrAPlanNoLongerWaitingAreRefused() {
        assertThat(ApprovalRules.against(Optional.empty(), "test", Decision.APPROVED, "U0ALICE", "SLACK", null, digest,
                NOW, Optional.empty(), POLICY, NOW)).extracting(v -> ((ApprovalRules.Refuse) v).refusal())
                .isEqualTo(Refusal.UNKNOWN_PLAN);
        assertThat(ApprovalRules.against(Optional.of(waiting), "prod", Decision.APPROVED, "U0ALICE", "SLACK", null,
                digest, NOW, Optional.empty(), POLICY, NOW)).extracting(v -> ((ApprovalRules.Refuse) v).refusal())
                .isEqualTo(Refusal.WRONG_CLUSTER);
        RecoveryPlan running = waiting.withState(PlanState.RUNNING, "approved by bob", NOW);
        assertThat(ApprovalRules.against(Optional.of(running), "test", Decision.APPROVED, "U0ALICE", "SLACK", null,
                digest, NOW, Optional.empty(), POLICY, NOW)).extracting(v -> ((ApprovalRules.Refuse) v).refusal())
                .isEqualTo(Refusal.NOT_WAITING);
    }

    @Test
    void whereTwoApproversAreRequiredTheFirstIsRecordedAndOnlyADifferentSecondRunsThePlan() {
        assertThat(decide("U0ALICE", digest, Optional.empty(), TWO_FOR_REPLACE))
                .isInstanceOf(ApprovalRules.AwaitSecond.class);
        assertThat(decide("U0ALICE", digest, Optional.of("U0ALICE"), TWO_FOR_REPLACE))
                .extracting(v -> ((ApprovalRules.Refuse) v).refusal()).isEqualTo(Refusal.SAME_APPROVER);

        ApprovalRules.Verdict second = decide("bob", digest, Optional.of("U0ALICE"), TWO_FOR_REPLACE);

        assertThat(second).isInstanceOf(ApprovalRules.Apply.class);
        assertThat(((ApprovalRules.Apply) second).plan().decidedBy()).isEqualTo("U0ALICE and bob");
        assertThat(((ApprovalRules.Apply) second).plan().state()).isEqualTo(PlanState.RUNNING);
    }

    @Test
    void twoApproverRulesMatchClusterAndPlanWithWildcards() {
        ApprovalPolicy policy = new ApprovalPolicy(Duration.ofMinutes(10), Duration.ofMinutes(1),
                List.of("prod:etcd-quorum-restore", "*:bbr-director-restore"));

        assertThat(policy.needsTwoApprovers("prod", "etcd-quorum-restore")).isTrue();
        assertThat(policy.needsTwoApprovers("stage", "etcd-quorum-restore")).isFalse();
        assertThat(policy.needsTwoApprovers("pks-1", "bbr-director-restore")).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ApprovalPolicy(Duration.ZERO, Duration.ZERO,
                List.of("prod"))).hasMessageContaining("must be <cluster>:<plan>");
    }
}
