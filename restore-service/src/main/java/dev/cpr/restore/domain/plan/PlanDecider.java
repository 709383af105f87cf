package dev.cpr.restore.domain.plan;

import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.contracts.recovery.StepState;

/**
 * Deciding, apart from doing: given a stored plan, what happens next. The rules that make a plan
 * resumable live here:
 * <ul>
 *   <li>only a RUNNING plan moves;</li>
 *   <li>the next step is the first one that is not done (SUCCEEDED or SKIPPED), so a step that
 *       finished, destructive or not, is never run again;</li>
 *   <li>a step found RUNNING was interrupted (the service died mid-step): it runs again from its
 *       check, which finds the work done if the action had completed;</li>
 *   <li>a FAILED step fails the plan; no step left means the plan succeeded.</li>
 * </ul>
 */
public final class PlanDecider {

    public sealed interface Decision permits RunStep, Complete, Fail, Idle {
    }

    /** Run this step, starting with its check. {@code interrupted}: it was found RUNNING. */
    public record RunStep(int index, boolean interrupted) implements Decision {
    }

    public record Complete() implements Decision {
    }

    public record Fail(String reason) implements Decision {
    }

    /** Nothing to do: the plan is not RUNNING. */
    public record Idle(PlanState state) implements Decision {
    }

    public Decision decide(RecoveryPlan plan) {
        if (plan.state() != PlanState.RUNNING) {
            return new Idle(plan.state());
        }
        for (PlanStep step : plan.steps()) {
            if (step.state().isDone()) {
                continue;
            }
            if (step.state() == StepState.FAILED) {
                return new Fail("step " + step.name() + " failed: " + step.output());
            }
            return new RunStep(step.index(), step.state() == StepState.RUNNING);
        }
        return new Complete();
    }
}
