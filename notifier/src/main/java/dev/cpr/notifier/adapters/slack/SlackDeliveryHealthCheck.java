package dev.cpr.notifier.adapters.slack;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Says in {@code /q/health} where notifications go: {@code SLACK}, {@code SANDBOX} or {@code OFF} (recorded only). */
@Readiness
@ApplicationScoped
public class SlackDeliveryHealthCheck implements HealthCheck {

    private final SlackDelivery delivery;
    private final dev.cpr.notifier.app.OutboxSender outbox;

    SlackDeliveryHealthCheck(SlackDelivery delivery, dev.cpr.notifier.app.OutboxSender outbox) {
        this.delivery = delivery;
        this.outbox = outbox;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("slack-delivery").up()
                .withData("delivery", delivery.mode().name())
                .withData("apiUrl", delivery.apiUrl())
                .withData("channel", delivery.channel())
                .withData("outboxPending", outbox.pending())
                .build();
    }
}
