package dev.cpr.notifier.adapters.slack;

import dev.cpr.kernel.Backoff;
import dev.cpr.kernel.Sleeper;
import dev.cpr.notifier.domain.SlackDeliveryException;
import java.io.IOException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * How every call to Slack is retried, whichever way it is sent (Web API or incoming webhook): HTTP 429 waits the
 * {@code Retry-After} Slack sent (capped), retryable failures (5xx, transient {@code ok:false} errors, I/O) wait the
 * capped exponential {@link Backoff}, anything else fails at once. One warning per failed attempt, one error when
 * giving up. Blocking.
 */
public final class SlackRetry {

    private static final Logger LOG = Logger.getLogger(SlackRetry.class);

    /** What one attempt came to. */
    public sealed interface Outcome<T> permits Sent, Refused {
    }

    /** Slack took it. */
    public record Sent<T>(T value) implements Outcome<T> {
    }

    /**
     * Slack did not take it.
     *
     * @param retryAfter the {@code Retry-After} header of a 429, else null
     */
    public record Refused<T>(SlackDeliveryException failure, String retryAfter) implements Outcome<T> {
    }

    /** One attempt; an IOException means Slack was not reached (retryable). */
    @FunctionalInterface
    public interface Attempt<T> {
        Outcome<T> run() throws IOException;
    }

    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration maxRetryAfter;
    private final Sleeper sleeper;

    public SlackRetry(int maxAttempts, Backoff backoff, Duration maxRetryAfter, Sleeper sleeper) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.backoff = backoff;
        this.maxRetryAfter = maxRetryAfter;
        this.sleeper = sleeper;
    }

    /**
     * @param what    the call, for messages ({@code chat.postMessage}, {@code webhook})
     * @param context whose message it is (incident, plan), for the logs
     */
    public <T> T call(String what, String context, Attempt<T> attempt) {
        for (int n = 1; ; n++) {
            Outcome<T> outcome;
            try {
                outcome = attempt.run();
            } catch (IOException e) {
                outcome = new Refused<>(new SlackDeliveryException("io_error", "Slack " + what + " unreachable: "
                        + e.getMessage(), e, true), null);
            }
            if (outcome instanceof Sent<T> sent) {
                if (n > 1) {
                    LOG.infof("Slack %s succeeded on attempt %d (%s)", what, n, context);
                }
                return sent.value();
            }
            Refused<T> refused = (Refused<T>) outcome;
            SlackDeliveryException failure = refused.failure();
            if (!failure.retryable()) {
                LOG.warnf("Slack %s: %s, not retried (%s)", what, failure.getMessage(), context);
                throw failure;
            }
            if (n >= maxAttempts) {
                LOG.errorf("Slack %s gave up after %d attempts: %s (%s)", what, n, failure.getMessage(), context);
                throw failure;
            }
            Duration wait = refused.retryAfter() != null ? retryAfter(refused.retryAfter(), n) : backoff.delayAfter(n);
            LOG.warnf("Slack %s attempt %d/%d failed: %s; retrying in %d ms (%s)", what, n, maxAttempts,
                    failure.getMessage(), wait.toMillis(), context);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SlackDeliveryException("interrupted", "interrupted while waiting to retry " + what, e, true);
            }
        }
    }

    /** Slack's Retry-After in seconds, capped; a header that is not a number falls back to the backoff. */
    private Duration retryAfter(String header, int attempt) {
        try {
            Duration asked = Duration.ofSeconds(Long.parseLong(header.trim()));
            return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
        } catch (NumberFormatException notANumber) {
            return backoff.delayAfter(attempt);
        }
    }
}
