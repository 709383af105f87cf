package dev.cpr.notifier.adapters.slack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.webhook.WebhookResponse;
import dev.cpr.notifier.domain.Backoff;
import dev.cpr.notifier.domain.SlackDeliveryException;
import dev.cpr.notifier.domain.SlackMessage;
import dev.cpr.notifier.domain.SlackPort;
import java.io.IOException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * {@link SlackPort} over an incoming webhook ({@code cpr.slack.webhook-url}), for teams without a bot token. A
 * webhook posts to the one channel it was created for and answers no ts: there are no threads and no updates in
 * place, so every update is posted as a new message. HTTP 429 waits {@code Retry-After}; 5xx and I/O errors are
 * retried with {@link Backoff}; other answers ({@code 400 invalid_payload}, {@code 404 no_service} ...) fail at once.
 */
public final class WebhookSlack implements SlackPort, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebhookSlack.class);
    /** What {@link Posted#channel()} says for webhook messages: the webhook decides the channel. */
    public static final String WEBHOOK_CHANNEL = "webhook";

    private final Slack slack;
    private final String url;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration maxRetryAfter;
    private final SlackWebApi.Sleeper sleeper;

    public WebhookSlack(String url, int maxAttempts, Backoff backoff, Duration maxRetryAfter, SlackWebApi.Sleeper sleeper) {
        SlackConfig config = new SlackConfig();
        config.setPrettyResponseLoggingEnabled(false);
        config.setHttpClientCallTimeoutMillis(15_000);
        this.slack = Slack.getInstance(config);
        this.url = url;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.backoff = backoff;
        this.maxRetryAfter = maxRetryAfter;
        this.sleeper = sleeper;
    }

    @Override
    public Posted post(String channel, String threadTs, SlackMessage message, String context) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("text", message.text());
        payload.set("blocks", message.blocks());
        send(payload.toString(), context);
        return new Posted(WEBHOOK_CHANNEL, null);
    }

    @Override
    public void update(String channel, String ts, SlackMessage message, String context) {
        post(channel, null, message, context);
    }

    @Override
    public boolean updatesInPlace() {
        return false;
    }

    private void send(String payload, String context) {
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            SlackDeliveryException failure;
            try {
                WebhookResponse response = slack.send(url, payload);
                int code = response.getCode();
                if (code == 200) {
                    return;
                }
                String body = response.getBody() == null ? "" : response.getBody().strip();
                boolean retryable = code == 429 || code >= 500;
                failure = new SlackDeliveryException(code == 429 ? "ratelimited" : body.isEmpty() ? "http_error" : body,
                        "Slack webhook answered HTTP " + code + (body.isEmpty() ? "" : " " + body), null, retryable);
                if (!retryable) {
                    LOG.warnf("Slack webhook refused the message: %s, not retried (%s)", failure.getMessage(), context);
                    throw failure;
                }
                wait = code == 429 ? retryAfter(response, attempt) : backoff.delayBeforeRetry(attempt);
            } catch (IOException e) {
                failure = new SlackDeliveryException("io_error", "Slack webhook unreachable: " + e.getMessage(), e, true);
                wait = backoff.delayBeforeRetry(attempt);
            }
            if (attempt >= maxAttempts) {
                LOG.errorf("Slack webhook gave up after %d attempts: %s (%s)", attempt, failure.getMessage(), context);
                throw failure;
            }
            LOG.warnf("Slack webhook attempt %d/%d failed: %s; retrying in %d ms (%s)", attempt, maxAttempts,
                    failure.getMessage(), wait.toMillis(), context);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SlackDeliveryException("interrupted", "interrupted while waiting to retry the webhook", e, true);
            }
        }
    }

    private Duration retryAfter(WebhookResponse response, int attempt) {
        String header = null;
        if (response.getHeaders() != null) {
            for (var entry : response.getHeaders().entrySet()) {
                if ("retry-after".equalsIgnoreCase(entry.getKey()) && !entry.getValue().isEmpty()) {
                    header = entry.getValue().get(0);
                }
            }
        }
        try {
            Duration asked = Duration.ofSeconds(Long.parseLong(header == null ? "" : header.trim()));
            return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
        } catch (NumberFormatException notANumber) {
            return backoff.delayBeforeRetry(attempt);
        }
    }

    @Override
    public void close() {
        try {
            slack.close();
        } catch (Exception e) {
            LOG.debugf("closing the Slack client: %s", e.getMessage());
        }
    }
}
