package dev.cpr.contracts.recovery;

/** State of one step of a plan. SKIPPED means its check found the work already done. */
public enum StepState {
    PENDING, RUNNING, SUCCEEDED, SKIPPED, FAILED;

    public boolean isDone() {
        return this == SUCCEEDED || this == SKIPPED;
    }
}
