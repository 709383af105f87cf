package dev.cpr.restore.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.approval.Decision;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecisionsTest {

    private static final Instant DECIDED = Instant.parse("2026-01-01T10:05:00.123456789Z");
    private static final Instant NOW = Instant.parse("2026-01-01T10:05:01Z");

    private final RecoveryPlan waiting = Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2"))
            .withState(PlanState.AWAITING_APPROVAL, "waits for a person", Plans.CREATED);

    @Test
    void anApprovalRunsTheWaitingPlanAndRecordsWhoApprovedAndWhen() {
        Decisions.Outcome outcome = Decisions.decide(waiting, Decision.APPROVED, "alice", "REST", null, DECIDED, NOW);

        RecoveryPlan approved = ((Decisions.Applied) outcome).plan();
        assertThat(approved.state()).isEqualTo(PlanState.RUNNING);
        assertThat(approved.decidedBy()).isEqualTo("alice");
        assertThat(approved.decidedAt()).isEqualTo(Instant.parse("2026-01-01T10:05:00.123456Z"));
        assertThat(approved.message()).isEqualTo("approved by alice via REST");
        assertThat(approved.sequence()).isEqualTo(waiting.sequence() + 1);
    }

    @Test
    void aRejectionEndsThePlanWithoutChangingAnything() {
        Decisions.Outcome outcome = Decisions.decide(waiting, Decision.REJECTED, "U123", "SLACK", "not now", DECIDED, NOW);

        RecoveryPlan rejected = ((Decisions.Applied) outcome).plan();
        assertThat(rejected.state()).isEqualTo(PlanState.REJECTED);
        assertThat(rejected.message()).isEqualTo("rejected by U123 via SLACK: not now; nothing was changed");
        assertThat(rejected.steps()).extracting(PlanStep::state).containsOnly(StepState.PENDING);
    }

    @Test
    void theSameDecisionDeliveredTwiceChangesNothingTheSecondTime() {
        RecoveryPlan approved = ((Decisions.Applied) Decisions.decide(waiting, Decision.APPROVED, "alice", "REST", null,
                DECIDED, NOW)).plan();

        assertThat(Decisions.decide(approved, Decision.APPROVED, "alice", "REST", null, DECIDED, NOW))
                .isInstanceOf(Decisions.AlreadyDone.class);
    }

    @Test
    void deciding_aPlanThatIsNotWaitingIsRefusedNamingItsState() {
        RecoveryPlan approved = ((Decisions.Applied) Decisions.decide(waiting, Decision.APPROVED, "alice", "REST", null,
                DECIDED, NOW)).plan();

        Decisions.Outcome again = Decisions.decide(approved, Decision.REJECTED, "bob", "REST", null, NOW, NOW);
        Decisions.Outcome running = Decisions.decide(Plans.running("x", approved.steps()), Decision.APPROVED, "bob",
                "REST", null, NOW, NOW);

        assertThat(again).isInstanceOf(Decisions.Refused.class);
        assertThat(((Decisions.Refused) again).why()).contains("is RUNNING, not AWAITING_APPROVAL")
                .contains("decided by alice");
        assertThat(running).isInstanceOf(Decisions.Refused.class);
    }

    @Test
    void aPlanWaitingLongerThanTheApprovalTimeoutExpiresAndSaysSo() {
        Duration timeout = Duration.ofMinutes(30);

        assertThat(Decisions.expire(waiting, timeout, Plans.CREATED.plus(Duration.ofMinutes(29)))).isEmpty();
        RecoveryPlan expired = Decisions.expire(waiting, timeout, Plans.CREATED.plus(Duration.ofMinutes(30)))
                .orElseThrow();
        assertThat(expired.state()).isEqualTo(PlanState.EXPIRED);
        assertThat(expired.message()).startsWith("no approval within 30 min").contains("nothing was changed");
        assertThat(Decisions.expire(Plans.running("x", waiting.steps()), timeout, NOW.plus(Duration.ofDays(1))))
                .isEmpty();
    }

    @Test
    void aWaitingPlanIsWithdrawnWhenItsIncidentResolvesByItself() {
        RecoveryPlan withdrawn = Decisions.withdraw(waiting, "incident-1", "member unhealthy", DECIDED, NOW).orElseThrow();

        assertThat(withdrawn.state()).isEqualTo(PlanState.CANCELLED);
        assertThat(withdrawn.decidedBy()).isEqualTo(Decisions.WITHDRAWN_BY);
        assertThat(withdrawn.message()).startsWith("withdrawn: incident incident-1 (member unhealthy) resolved by itself")
                .contains("nothing was changed");
    }

    @Test
    void aRunningPlanOrAnotherIncidentsPlanIsNotWithdrawn() {
        RecoveryPlan running = Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2"));

        assertThat(Decisions.withdraw(running, "incident-1", "member unhealthy", DECIDED, NOW)).isEmpty();
        assertThat(Decisions.withdraw(waiting, "incident-2", "member unhealthy", DECIDED, NOW)).isEmpty();
    }

    @Test
    void cancellingAWaitingPlanEndsItAtOnce() {
        Decisions.Outcome outcome = Decisions.cancel(waiting, "alice", NOW);

        RecoveryPlan cancelled = ((Decisions.Applied) outcome).plan();
        assertThat(cancelled.state()).isEqualTo(PlanState.CANCELLED);
        assertThat(cancelled.decidedBy()).isEqualTo("alice");
    }

    @Test
    void cancellingARunningPlanAsksTheEngineAndNamesTheStepInProgress() {
        RecoveryPlan running = Plans.withStates(Plans.running("etcd-member-replace",
                EtcdMemberReplacePlan.outline("etcd-2")), StepState.SUCCEEDED, StepState.SUCCEEDED, StepState.RUNNING);

        Decisions.Outcome outcome = Decisions.cancel(running, "alice", NOW);

        assertThat(outcome).isEqualTo(new Decisions.CancelRequested("member-remove", true));
    }

    @Test
    void aFinishedPlanCannotBeCancelled() {
        RecoveryPlan done = waiting.withState(PlanState.SUCCEEDED, "done", NOW);

        assertThat(Decisions.cancel(done, "alice", NOW)).isInstanceOf(Decisions.Refused.class);
    }
}
