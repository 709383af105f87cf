package dev.cpr.notifier.domain;

/** Slack refused a call ({@code ok:false}) or could not be reached, after the retries it deserved. */
public class SlackDeliveryException extends RuntimeException {

    private final String error;

    public SlackDeliveryException(String error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** Slack's error code ({@code channel_not_found}, {@code ratelimited} ...) or {@code http_error} / {@code io_error}. */
    public String error() {
        return error;
    }
}
