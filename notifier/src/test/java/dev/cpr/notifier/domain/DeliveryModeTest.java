package dev.cpr.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryModeTest {

    @Test
    void aTokenMeansDelivery() {
        assertThat(DeliveryMode.decide("https://slack.com/api/", Optional.of("xoxb-1"))).isEqualTo(DeliveryMode.SLACK);
    }

    @Test
    void noTokenButASandboxUrlDeliversToTheSandboxWithAPlaceholderToken() {
        DeliveryMode mode = DeliveryMode.decide("http://127.0.0.1:9999/api/", Optional.empty());

        assertThat(mode).isEqualTo(DeliveryMode.SANDBOX);
        assertThat(mode.tokenFor(Optional.empty())).isEqualTo(DeliveryMode.SANDBOX_TOKEN);
    }

    @Test
    void noTokenAndSlacksOwnUrlTurnsDeliveryOff() {
        assertThat(DeliveryMode.decide("https://slack.com/api/", Optional.empty())).isEqualTo(DeliveryMode.OFF);
        assertThat(DeliveryMode.decide("https://acme.slack.com/api/", Optional.of(" "))).isEqualTo(DeliveryMode.OFF);
    }

    @Test
    void noTokenButAWebhookUrlDeliversThroughTheWebhook() {
        assertThat(DeliveryMode.decide("https://slack.com/api/", Optional.empty(),
                Optional.of("https://hooks.slack.com/services/T/B/x"))).isEqualTo(DeliveryMode.WEBHOOK);
        assertThat(DeliveryMode.decide("https://slack.com/api/", Optional.of("xoxb-1"),
                Optional.of("https://hooks.slack.com/services/T/B/x"))).isEqualTo(DeliveryMode.SLACK);
    }
}
