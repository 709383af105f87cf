package dev.cpr.notifier.adapters.slack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.webhook.WebhookResponse;
import dev.cpr.notifier.domain.SlackDeliveryException;
import dev.cpr.notifier.domain.SlackMessage;
import dev.cpr.notifier.domain.SlackPort;
import org.jboss.logging.Logger;

/**
 * {@link SlackPort} over an incoming webhook ({@code cpr.slack.webhook-url}), for teams without a bot token. A
 * webhook posts to the one channel it was created for and answers no ts: there are no threads and no updates in
 * place, so every update is posted as a new message. 429, 5xx and I/O errors are retried ({@link SlackRetry}); other
 * answers ({@code 400 invalid_payload}, {@code 404 no_service} ...) fail at once.
 */
public final class WebhookSlack implements SlackPort, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebhookSlack.class);
    /** What {@link Posted#channel()} says for webhook messages: the webhook decides the channel. */
    public static final String WEBHOOK_CHANNEL = "webhook";

    private final Slack slack;
    private final String url;
    private final SlackRetry retry;

    public WebhookSlack(String url, SlackRetry retry) {
        SlackConfig config = new SlackConfig();
        config.setPrettyResponseLoggingEnabled(false);
        config.setHttpClientCallTimeoutMillis(15_000);
        this.slack = Slack.getInstance(config);
        this.url = url;
        this.retry = retry;
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
        retry.call("webhook", context, () -> {
            WebhookResponse response = slack.send(url, payload);
            int code = response.getCode();
            if (code == 200) {
                return new SlackRetry.Sent<>(Boolean.TRUE);
            }
            String body = response.getBody() == null ? "" : response.getBody().strip();
            SlackDeliveryException failure = new SlackDeliveryException(
                    code == 429 ? "ratelimited" : body.isEmpty() ? "http_error" : body,
                    "Slack webhook answered HTTP " + code + (body.isEmpty() ? "" : " " + body), null,
                    code == 429 || code >= 500);
            return new SlackRetry.Refused<>(failure, code == 429 ? retryAfterHeader(response) : null);
        });
    }

    private static String retryAfterHeader(WebhookResponse response) {
        if (response.getHeaders() != null) {
            for (var entry : response.getHeaders().entrySet()) {
                if ("retry-after".equalsIgnoreCase(entry.getKey()) && !entry.getValue().isEmpty()) {
                    return entry.getValue().get(0);
                }
            }
        }
        return "";
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
