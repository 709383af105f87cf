package dev.cpr.restore.domain.plan;

import java.time.Duration;
import java.util.Optional;

/**
 * What one step of a plan does: a check (is the work already done? then the step is SKIPPED), an
 * action (returns a line of output), a verification, whether it changes the cluster irreversibly,
 * its timeout and its retry policy. Every part must be idempotent: the engine may call the check
 * again after a crash.
 */
public record StepSpec(
        String name,
        String description,
        boolean destructive,
        Duration timeout,
        RetryPolicy retry,
        Check check,
        Action action,
        Verify verify) {

    @FunctionalInterface
    public interface Check {
        /** @return why the work is already done, or empty when the action must run */
        Optional<String> alreadyDone() throws Exception;
    }

    @FunctionalInterface
    public interface Action {
        /** @return what was done, for the step's output */
        String run() throws Exception;

        /** What the engine calls: an action that shows its output while it runs overrides this. */
        default String run(LiveOutput live) throws Exception {
            return run();
        }

        /** An action that shows its output while it runs (a long playbook, for instance). */
        static Action showingOutput(LiveAction action) {
            return new Action() {
                @Override
                public String run() throws Exception {
                    return action.run(LiveOutput.NONE);
                }

                @Override
                public String run(LiveOutput live) throws Exception {
                    return action.run(live);
                }
            };
        }
    }

    @FunctionalInterface
    public interface LiveAction {
        /** @return what was done, for the step's output; {@code live} gets the output so far while it runs */
        String run(LiveOutput live) throws Exception;
    }

    @FunctionalInterface
    public interface Verify {
        /** @throws Exception when the action did not have its effect */
        void verify() throws Exception;
    }

    /** Prefix of a check's answer that means "nothing to do here" rather than "already done". */
    public static final String NOT_NEEDED = "not needed: ";

    /** A check answer that skips the step because there is nothing to do (the output says so as it is). */
    public static Optional<String> notNeeded(String why) {
        return Optional.of(NOT_NEEDED + why);
    }

    /**
     * A failure that another attempt cannot fix (a snapshot whose hash does not match, a refused input):
     * the step and the plan FAIL at once, without retries.
     */
    public static class FatalStepException extends RuntimeException {
        public FatalStepException(String message) {
            super(message);
        }
    }

    public static Check never() {
        return Optional::empty;
    }

    public static Verify nothing() {
        return () -> { };
    }
}
