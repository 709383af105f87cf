package dev.cpr.restore.domain.plan;

import dev.cpr.contracts.recovery.StepState;
import dev.cpr.contracts.recovery.StepView;
import java.time.Instant;

/** One stored step of a plan. Immutable: every transition makes a new value. */
public record PlanStep(
        int index,
        String name,
        String description,
        boolean destructive,
        StepState state,
        int attempts,
        Instant startedAt,
        Instant finishedAt,
        String output) {

    public static PlanStep pending(int index, String name, String description, boolean destructive) {
        return new PlanStep(index, name, description, destructive, StepState.PENDING, 0, null, null, null);
    }

    /** Its action is about to start (one more attempt). */
    public PlanStep attemptStarted(Instant now) {
        return new PlanStep(index, name, description, destructive, StepState.RUNNING, attempts + 1,
                startedAt != null ? startedAt : now, null, output);
    }

    /** Still running, with a note (a failed attempt that will be retried). */
    public PlanStep note(String text) {
        return new PlanStep(index, name, description, destructive, state, attempts, startedAt, finishedAt, text);
    }

    public PlanStep succeeded(Instant now, String text) {
        return finish(StepState.SUCCEEDED, now, text);
    }

    public PlanStep skipped(Instant now, String text) {
        return finish(StepState.SKIPPED, now, text);
    }

    public PlanStep failed(Instant now, String text) {
        return finish(StepState.FAILED, now, text);
    }

    private PlanStep finish(StepState to, Instant now, String text) {
        return new PlanStep(index, name, description, destructive, to, attempts,
                startedAt != null ? startedAt : now, now, text);
    }

    public StepView view() {
        return new StepView(index, name, description, destructive, state, attempts, startedAt, finishedAt, output);
    }
}
