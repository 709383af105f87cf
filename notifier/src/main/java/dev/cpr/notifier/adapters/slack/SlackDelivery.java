package dev.cpr.notifier.adapters.slack;

import dev.cpr.notifier.domain.Backoff;
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
    private SlackWebApi webApi;

    SlackDelivery(SlackSettings settings) {
        this.settings = settings;
        this.mode = DeliveryMode.decide(settings.apiUrl(), settings.token());
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
        webApi = new SlackWebApi(settings.apiUrl(), mode.tokenFor(settings.token()), retry.maxAttempts(),
                new Backoff(retry.initialBackoff(), retry.maxBackoff()), retry.maxRetryAfter(),
                d -> Thread.sleep(d.toMillis()));
        return webApi;
    }

    @PreDestroy
    void close() {
        if (webApi != null) {
            webApi.close();
        }
    }
}
