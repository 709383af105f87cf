package dev.cpr.sandbox.testing;

import dev.cpr.sandbox.slack.SlackSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a {@link SlackSimulator} for a Quarkus test and points {@code cpr.slack.*} at it:
 * {@code cpr.slack.api-url} ({@code http://127.0.0.1:PORT/api/}), {@code cpr.slack.token}
 * ({@value #TOKEN}), {@code cpr.slack.channel} ({@value #CHANNEL}) and {@code cpr.slack.signing-secret} (the
 * simulator's, so the requests it sends as Slack verify). Tests read what was posted and act as Slack users
 * through {@link #simulator()}.
 */
public class SlackSimulatorResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "xoxb-sandbox";
    public static final String CHANNEL = "#cpr-alerts";

    private static volatile SlackSimulator simulator;

    /** The running simulator of the current test; fails if the resource has not started. */
    public static SlackSimulator simulator() {
        SlackSimulator current = simulator;
        if (current == null) {
            throw new IllegalStateException("SlackSimulatorResource has not started: annotate the test class with it");
        }
        return current;
    }

    @Override
    public Map<String, String> start() {
        SlackSimulator started = SlackSimulator.start(0, TOKEN, java.time.Clock.systemUTC());
        simulator = started;
        return Map.of(
                "cpr.slack.api-url", started.apiUrl(),
                "cpr.slack.token", TOKEN,
                "cpr.slack.channel", CHANNEL,
                "cpr.slack.signing-secret", started.signingSecret());
    }

    @Override
    public void stop() {
        SlackSimulator current = simulator;
        simulator = null;
        if (current != null) {
            current.close();
        }
    }
}
