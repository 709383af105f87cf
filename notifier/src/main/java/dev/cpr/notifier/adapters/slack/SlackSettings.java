package dev.cpr.notifier.adapters.slack;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code cpr.slack.*}: where and how notifier talks to Slack (or the sandbox's simulator of it). */
@ConfigMapping(prefix = "cpr.slack")
public interface SlackSettings {

    /** The Web API base URL, the SDK's methods endpoint prefix. A non-Slack URL (the simulator) works without a token. */
    @WithDefault("https://slack.com/api/")
    String apiUrl();

    /** Bot token ({@code xoxb-...}). Without one, delivery goes to a sandbox api-url or is off. */
    Optional<String> token();

    /** Channel incident messages are posted to. */
    @WithDefault("#cpr-alerts")
    String channel();

    /**
     * How long a plan's first progress update waits for its incident's message to be recorded (the incident and
     * recovery topics are not ordered with each other) before it is posted top-level instead of in the thread.
     */
    @WithDefault("PT5S")
    Duration threadWait();

    Retry retry();

    interface Retry {
        /** Calls per message, the first included. */
        @WithDefault("4")
        int maxAttempts();

        @WithDefault("PT0.5S")
        Duration initialBackoff();

        @WithDefault("PT8S")
        Duration maxBackoff();

        /** A 429's Retry-After is honoured up to this. */
        @WithDefault("PT60S")
        Duration maxRetryAfter();
    }
}
