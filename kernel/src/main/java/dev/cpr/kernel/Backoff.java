package dev.cpr.kernel;

import java.time.Duration;

/**
 * Capped exponential backoff: the delay before retry {@code n} (n = 1 after the first failure) is
 * {@code min(max, initial * multiplier^(n-1))}. With 200 ms, x2, cap 2 s: 200, 400, 800, 1600, 2000, 2000 ...
 */
public record Backoff(Duration initial, double multiplier, Duration max) {

    public Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial delay must be positive");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be >= 1");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max delay must be >= initial delay");
        }
    }

    /** Doubling from {@code initial} up to {@code max}: 0.5 s, 1 s, 2 s, 4 s, 8 s, 8 s ... with 500 ms and 8 s. */
    public static Backoff doubling(Duration initial, Duration max) {
        return new Backoff(initial, 2.0, max);
    }

    /** @param failures how many attempts failed so far (>= 1) */
    public Duration delayAfter(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be >= 1, was " + failures);
        }
        double millis = initial.toMillis() * Math.pow(multiplier, failures - 1);
        return millis >= max.toMillis() ? max : Duration.ofMillis(Math.round(millis));
    }
}
