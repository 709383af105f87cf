package dev.cpr.console.domain;

import java.time.Duration;
import java.time.Instant;

/** One step of a plan as restore-service shows it ({@code state} PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED ...). */
public record Step(int index, String name, String description, boolean destructive, String state, int attempts,
        Instant startedAt, Instant finishedAt, String output) {

    /** Run time so far (until {@code now} while it runs), or null before it started. */
    public Duration elapsed(Instant now) {
        if (startedAt == null) {
            return null;
        }
        return Duration.between(startedAt, finishedAt != null ? finishedAt : now);
    }

    public boolean done() {
        return "SUCCEEDED".equals(state) || "SKIPPED".equals(state);
    }
}
