package dev.cpr.notifier.domain;

/** Slack refused a call ({@code ok:false}) or could not be reached, after the retries it deserved. */
public class SlackDeliveryException extends RuntimeException {

    private final String error;
    private final boolean retryable;

    public SlackDeliveryException(String error, String message, Throwable cause) {
        this(error, message, cause, false);
    }

    public SlackDeliveryException(String error, String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.error = error;
        this.retryable = retryable;
    }

    /** Slack's error code ({@code channel_not_found}, {@code ratelimited} ...) or {@code http_error} / {@code io_error}. */
    public String error() {
        return error;
    }

    /**
     * Whether trying the same call later may succeed (Slack unreachable, 5xx, rate limited, a transient Slack error);
     * false for a refusal that will not change (bad auth, unknown channel, bad blocks).
     */
    public boolean retryable() {
        return retryable;
    }
}
