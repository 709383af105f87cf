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
    }

    @FunctionalInterface
    public interface Verify {
        /** @throws Exception when the action did not have its effect */
        void verify() throws Exception;
    }

    public static Check never() {
        return Optional::empty;
    }

    public static Verify nothing() {
        return () -> { };
    }
}
