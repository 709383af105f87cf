package dev.cpr.bosh.bbr;

import java.time.Duration;
import java.util.List;

/**
 * One finished {@code bbr} process.
 *
 * @param subcommand {@code pre-backup-check}, {@code backup}, {@code backup-cleanup} ...
 * @param timedOut   it ran past its timeout and its process tree was killed
 * @param output     the last lines of stdout and stderr, interleaved as they came
 */
public record BbrRun(String subcommand, BbrExitCode exit, boolean timedOut, List<String> output, Duration duration) {

    public BbrRun {
        output = List.copyOf(output);
    }

    public boolean succeeded() {
        return !timedOut && exit.success();
    }

    public String text() {
        return String.join("\n", output);
    }

    /** {@code backup: exit 1: general error} or {@code backup: killed after the 2h timeout}. */
    public String describe() {
        return subcommand + ": " + (timedOut ? "killed after its timeout (" + duration.toSeconds() + " s)"
                : exit.message());
    }
}
