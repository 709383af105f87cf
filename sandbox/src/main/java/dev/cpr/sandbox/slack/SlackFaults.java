package dev.cpr.sandbox.slack;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The faults a test sets up (Slack down, rate limited, failing calls) and the configured rate, checked in the order
 * Slack's edge would meet them: down, then a forced 429, then over the rate.
 */
final class SlackFaults {

    /** An HTTP refusal before the call is looked at: status, and {@code Retry-After} seconds (0: none). */
    record Refusal(int status, int retryAfterSeconds) {
    }

    private final Clock clock;
    private final ArrayDeque<Instant> recentCalls = new ArrayDeque<>();
    private int rateLimitedCalls;
    private int rateLimitRetryAfterSeconds;
    private int failingCalls;
    private String failingError;
    private int callsPerSecond;
    private boolean unavailable;

    SlackFaults(Clock clock) {
        this.clock = clock;
    }

    synchronized void reset() {
        rateLimitedCalls = 0;
        failingCalls = 0;
        callsPerSecond = 0;
        unavailable = false;
    }

    synchronized void rateLimit(int perSecond) {
        this.callsPerSecond = Math.max(0, perSecond);
        recentCalls.clear();
    }

    synchronized void unavailable(boolean down) {
        this.unavailable = down;
    }

    synchronized void rateLimitNext(int calls, int retryAfterSeconds) {
        this.rateLimitedCalls = calls;
        this.rateLimitRetryAfterSeconds = retryAfterSeconds;
    }

    synchronized void failNext(int calls, String error) {
        this.failingCalls = calls;
        this.failingError = error;
    }

    /** How this call is refused (503, or 429 with its Retry-After), or null to let it in; counts it. */
    synchronized Refusal refusal() {
        if (unavailable) {
            return new Refusal(503, 0);
        }
        if (rateLimitedCalls > 0) {
            rateLimitedCalls--;
            return new Refusal(429, rateLimitRetryAfterSeconds);
        }
        if (overRate()) {
            return new Refusal(429, 1);
        }
        return null;
    }

    /** The error an authenticated call answers instead of its result, or null; counts it. */
    synchronized String failure() {
        if (failingCalls > 0) {
            failingCalls--;
            return failingError;
        }
        return null;
    }

    /** Counts this call against the configured rate; true when it is over. */
    private boolean overRate() {
        if (callsPerSecond <= 0) {
            return false;
        }
        Instant now = clock.instant();
        while (!recentCalls.isEmpty() && !recentCalls.peekFirst().isAfter(now.minusSeconds(1))) {
            recentCalls.pollFirst();
        }
        if (recentCalls.size() >= callsPerSecond) {
            return true;
        }
        recentCalls.addLast(now);
        return false;
    }
}
