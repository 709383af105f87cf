package dev.cpr.notifier.domain;

import java.time.Duration;

/**
 * Capped exponential backoff: the wait before retry {@code n} (1-based) is
 * {@code min(max, initial × 2^(n-1))}: with 500 ms and 8 s, 0.5 s, 1 s, 2 s, 4 s, 8 s, 8 s ...
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below the initial " + initial);
        }
    }

    public Duration delayBeforeRetry(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry numbers start at 1, was " + retry);
        }
        int shift = Math.min(retry - 1, 30);
        long millis = initial.toMillis() << shift;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
