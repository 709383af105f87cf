package dev.cpr.restore.domain.plan;

import dev.cpr.kernel.Backoff;
import java.time.Duration;

/** How often a step's action may be started, and how long to wait between attempts. Data, not code. */
public record RetryPolicy(int maxAttempts, Backoff backoff) {

    /** Three attempts, 200 ms doubling, capped at 2 s. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(3, new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(2)));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
    }
}
