package dev.cpr.notifier.adapters.slack;

import dev.cpr.kernel.Backoff;
import dev.cpr.kernel.Sleeper;
import dev.cpr.notifier.config.SlackSettings;
import dev.cpr.notifier.domain.DeliveryMode;
import dev.cpr.notifier.domain.SlackPort;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Decides once at start-up how notifications are delivered and provides the matching {@link SlackPort}. */
@ApplicationScoped
public class SlackDelivery {

    private static final Logger LOG = Logger.getLogger(SlackDelivery.class);

    private final SlackSettings settings;
    private final DeliveryMode mode;
    private AutoCloseable client;

    SlackDelivery(SlackSettings settings) {
        this.settings = settings;
        this.mode = DeliveryMode.decide(settings.apiUrl(), settings.token(), settings.webhookUrl());
    }

    public DeliveryMode mode() {
        return mode;
    }

    public String apiUrl() {
        return settings.apiUrl();
    }

    public String channel() {
        return settings.channel();
    }

    /** Says once, at start-up, where notifications go. */
    void logMode(@Observes StartupEvent startup) {
        switch (mode) {
            case OFF -> LOG.warnf("Slack delivery is off: no cpr.slack.token and cpr.slack.api-url is Slack's (%s); "
                    + "notifications are recorded, not sent", settings.apiUrl());
            case WEBHOOK -> LOG.infof("Slack delivery through an incoming webhook (no token): no threads, "
                    + "an update is a new message");
            case SANDBOX -> LOG.infof("Slack delivery to the sandbox endpoint %s (no token configured, placeholder used)",
                    settings.apiUrl());
            case SLACK -> LOG.infof("Slack delivery to %s, channel %s", settings.apiUrl(), settings.channel());
        }
    }

    @Produces
    @Singleton
    SlackPort slackPort() {
        if (mode == DeliveryMode.OFF) {
            return new RecordOnlySlack();
        }
        SlackSettings.Retry retry = settings.retry();
        SlackRetry retries = new SlackRetry(retry.maxAttempts(), Backoff.doubling(retry.initialBackoff(), retry.maxBackoff()),
                retry.maxRetryAfter(), Sleeper.REAL);
        if (mode == DeliveryMode.WEBHOOK) {
            WebhookSlack webhook = new WebhookSlack(settings.webhookUrl().orElseThrow(), retries);
            client = webhook;
            return webhook;
        }
        SlackWebApi webApi = new SlackWebApi(settings.apiUrl(), mode.tokenFor(settings.token()), retries);
        client = webApi;
        return webApi;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            try {
                client.close();
            } catch (Exception e) {
                LOG.debugf("closing the Slack client: %s", e.getMessage());
            }
        }
    }
}
