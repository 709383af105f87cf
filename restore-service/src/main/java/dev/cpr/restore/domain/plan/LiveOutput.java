package dev.cpr.restore.domain.plan;

/**
 * Where a running step shows how far it has got, before it ends: the last lines of a playbook as they come.
 * The engine stores and publishes what it is shown as the step's output (so it reaches Slack and the
 * dashboard), at most once per interval; the step's final output replaces it when the step ends.
 */
@FunctionalInterface
public interface LiveOutput {

    /** @param soFar the step's output so far, as a person should read it now (not only the newest line) */
    void show(String soFar);

    /** For an action run outside the engine (a test, a drill): nothing is shown. */
    LiveOutput NONE = soFar -> { };
}
