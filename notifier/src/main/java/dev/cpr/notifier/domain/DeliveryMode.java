package dev.cpr.notifier.domain;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * How notifications leave the service, decided once at start-up from {@code cpr.slack.api-url},
 * {@code cpr.slack.token} and {@code cpr.slack.webhook-url}:
 * <ul>
 *   <li>{@link #SLACK}: a token is configured; messages go to {@code api-url} with it.</li>
 *   <li>{@link #WEBHOOK}: no token but an incoming-webhook URL: messages are posted to it; no threads and no
 *       updates in place (an update is a new message), no user-group lookups.</li>
 *   <li>{@link #SANDBOX}: no token, but {@code api-url} is not Slack's (a simulator on loopback, for instance):
 *       messages go there with the placeholder token {@value #SANDBOX_TOKEN}.</li>
 *   <li>{@link #OFF}: no token and {@code api-url} is Slack's: nothing is sent; notifications are only recorded.</li>
 * </ul>
 */
public enum DeliveryMode {
    SLACK, WEBHOOK, SANDBOX, OFF;

    public static final String SANDBOX_TOKEN = "xoxb-sandbox";

    public static DeliveryMode decide(String apiUrl, Optional<String> token) {
        return decide(apiUrl, token, Optional.empty());
    }

    public static DeliveryMode decide(String apiUrl, Optional<String> token, Optional<String> webhookUrl) {
        if (token.filter(t -> !t.isBlank()).isPresent()) {
            return SLACK;
        }
        if (webhookUrl.filter(w -> !w.isBlank()).isPresent()) {
            return WEBHOOK;
        }
        return isSlackItself(apiUrl) ? OFF : SANDBOX;
    }

    /** The token to send with, for modes that use the Web API. */
    public String tokenFor(Optional<String> configured) {
        return switch (this) {
            case SLACK -> configured.orElseThrow();
            case SANDBOX -> SANDBOX_TOKEN;
            case WEBHOOK, OFF -> throw new IllegalStateException("Slack delivery " + this + " has no Web API token");
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
