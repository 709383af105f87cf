package dev.cpr.notifier.domain;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * How notifications leave the service, decided once at start-up from {@code cpr.slack.api-url} and
 * {@code cpr.slack.token}:
 * <ul>
 *   <li>{@link #SLACK}: a token is configured; messages go to {@code api-url} with it.</li>
 *   <li>{@link #SANDBOX}: no token, but {@code api-url} is not Slack's (a simulator on loopback, for instance):
 *       messages go there with the placeholder token {@value #SANDBOX_TOKEN}.</li>
 *   <li>{@link #OFF}: no token and {@code api-url} is Slack's: nothing is sent; notifications are only recorded.</li>
 * </ul>
 */
public enum DeliveryMode {
    SLACK, SANDBOX, OFF;

    public static final String SANDBOX_TOKEN = "xoxb-sandbox";

    public static DeliveryMode decide(String apiUrl, Optional<String> token) {
        if (token.filter(t -> !t.isBlank()).isPresent()) {
            return SLACK;
        }
        return isSlackItself(apiUrl) ? OFF : SANDBOX;
    }

    /** The token to send with, for modes that send. */
    public String tokenFor(Optional<String> configured) {
        return switch (this) {
            case SLACK -> configured.orElseThrow();
            case SANDBOX -> SANDBOX_TOKEN;
            case OFF -> throw new IllegalStateException("Slack delivery is off: no token");
        };
    }

    static boolean isSlackItself(String apiUrl) {
        String host = URI.create(apiUrl.trim()).getHost();
        if (host == null) {
            throw new IllegalArgumentException("cpr.slack.api-url '" + apiUrl + "' has no host");
        }
        host = host.toLowerCase(Locale.ROOT);
        return host.equals("slack.com") || host.endsWith(".slack.com");
    }
}
