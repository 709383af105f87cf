package dev.cpr.sandbox.demo.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Polling helpers for the scenarios (the tests use Awaitility; the CLI has no test libraries). */
final class Pause {
    private Pause() {
    }

    static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Polls every 100 ms until the condition holds; false if it never did within the timeout. */
    static boolean until(BooleanSupplier condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            millis(100);
        }
        return condition.getAsBoolean();
    }
}
