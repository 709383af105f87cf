package dev.cpr.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
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

    /** An incoming-webhook URL, used when there is no token: messages only, no threads, no updates in place. */
    Optional<String> webhookUrl();

    /** The app's signing secret: requests to {@code /slack/interactions} and {@code /slack/commands} are signed with it. */
    Optional<String> signingSecret();

    /** Slack user ids allowed to approve or reject a plan and to run {@code /cpr backup} and {@code /cpr recover}. */
    Optional<List<String>> approvers();

    /** A Slack user group ({@code S...}) whose members are allowed too, looked up with {@code usergroups.users.list}. */
    Optional<String> approverGroup();

    /** How long the approver group's members are cached. */
    @WithDefault("PT1M")
    Duration approverGroupTtl();

    /** A signed request whose timestamp is further than this from now is refused (Slack's advice: 5 minutes). */
    @WithDefault("PT5M")
    Duration maxRequestAge();

    Retry retry();

    Outbox outbox();

    interface Outbox {
        /** How often the drainer looks for messages when nobody woke it. */
        @WithDefault("PT1S")
        Duration pollInterval();

        /** Waits between attempts at a message Slack did not take (Slack unreachable): capped exponential. */
        @WithDefault("PT1S")
        Duration initialBackoff();

        @WithDefault("PT30S")
        Duration maxBackoff();

        /** Sent (and skipped) rows are deleted once this old; failed ones are kept for inspection. */
        @WithDefault("P7D")
        Duration keepSent();

        /**
         * How long a replica's claim on a row lasts unless renewed (it is renewed every third of this while the row is
         * worked on): how long a row claimed by a replica that died waits before another replica takes it over.
         */
        @WithDefault("PT30S")
        Duration claimLease();

        /**
         * A row taken over, or retried after Slack's answer was lost, is looked for in Slack's history from its first
         * attempt minus this (room for the clocks of replicas and Slack to differ).
         */
        @WithDefault("PT2M")
        Duration historyMargin();
    }

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
