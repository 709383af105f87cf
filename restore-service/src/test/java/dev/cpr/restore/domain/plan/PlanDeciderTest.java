package dev.cpr.restore.domain.plan;

import static dev.cpr.contracts.recovery.StepState.FAILED;
import static dev.cpr.contracts.recovery.StepState.PENDING;
import static dev.cpr.contracts.recovery.StepState.RUNNING;
import static dev.cpr.contracts.recovery.StepState.SKIPPED;
import static dev.cpr.contracts.recovery.StepState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import org.junit.jupiter.api.Test;

class PlanDeciderTest {

    private final PlanDecider decider = new PlanDecider();
    private final RecoveryPlan fresh = Plans.running("etcd-member-replace", EtcdMemberReplacePlan.outline("etcd-2"));

    @Test
    void aFreshRunningPlanStartsWithItsFirstStep() {
        assertThat(decider.decide(fresh)).isEqualTo(new PlanDecider.RunStep(0, false));
    }

    @Test
    void theNextStepIsTheFirstThatIsNotDone() {
        RecoveryPlan plan = Plans.withStates(fresh, SUCCEEDED, SKIPPED, SUCCEEDED, PENDING);

        assertThat(decider.decide(plan)).isEqualTo(new PlanDecider.RunStep(3, false));
    }

    @Test
    void aStepFoundRunningWasInterruptedAndIsCheckedAgain() {
        RecoveryPlan plan = Plans.withStates(fresh, SUCCEEDED, SUCCEEDED, SUCCEEDED, RUNNING);

        assertThat(decider.decide(plan)).isEqualTo(new PlanDecider.RunStep(3, true));
    }

    @Test
    void aFailedStepFailsThePlan() {
        RecoveryPlan plan = Plans.withStates(fresh, SUCCEEDED, FAILED);

        assertThat(decider.decide(plan)).isInstanceOf(PlanDecider.Fail.class);
    }

    @Test
    void whenEveryStepIsDoneThePlanIsComplete() {
        RecoveryPlan plan = Plans.withStates(fresh, SUCCEEDED, SKIPPED, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED,
                SUCCEEDED, SUCCEEDED);

        assertThat(decider.decide(plan)).isEqualTo(new PlanDecider.Complete());
    }

    @Test
    void aPlanThatIsNotRunningDoesNotMove() {
        RecoveryPlan waiting = fresh.withState(PlanState.AWAITING_APPROVAL, "asks a person", Plans.CREATED);

        assertThat(decider.decide(waiting)).isEqualTo(new PlanDecider.Idle(PlanState.AWAITING_APPROVAL));
    }
}
