package dev.cpr.notifier.adapters.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cpr.kernel.Backoff;
import dev.cpr.notifier.domain.SlackDeliveryException;
import dev.cpr.notifier.domain.SlackMessage;
import dev.cpr.notifier.domain.SlackPort.Posted;
import dev.cpr.sandbox.slack.SlackSimulator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Incoming-webhook mode against the simulator's webhook endpoint. */
class WebhookSlackTest {

    private final List<Duration> waits = new ArrayList<>();
    private SlackSimulator simulator;
    private WebhookSlack webhook;

    @BeforeEach
    void start() {
        simulator = SlackSimulator.start(0, "xoxb-sandbox", Clock.systemUTC());
        webhook = new WebhookSlack(simulator.webhookUrl(), retry());
    }

    @AfterEach
    void stop() {
        webhook.close();
        simulator.close();
    }

    @Test
    void aPostIsATopLevelMessageWithBlocksAndNoTsAndAnUpdateIsANewMessage() {
        Posted posted = webhook.post("#cpr-alerts", "1.000001", message("first"), "test");
        webhook.update("#cpr-alerts", null, message("second"), "test");

        assertThat(posted.ts()).isNull();
        assertThat(webhook.updatesInPlace()).isFalse();
        assertThat(simulator.messages()).extracting(m -> m.text()).containsExactly("first", "second");
        assertThat(simulator.messages()).allSatisfy(m -> assertThat(m.isTopLevel()).isTrue());
        assertThat(simulator.messages().get(0).blocks().get(0).path("text").path("text").asText()).isEqualTo("*first*");
    }

    @Test
    void aRateLimitedWebhookWaitsTheRetryAfter() {
        simulator.rateLimitNext(1, 2);

        webhook.post("#cpr-alerts", null, message("after 429"), "test");

        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(simulator.messages()).hasSize(1);
    }

    @Test
    void aWebhookThatIsGoneFailsAtOnceAndAnOutageIsRetryable() {
        WebhookSlack gone = new WebhookSlack(simulator.webhookUrl() + "-revoked", retry());
        assertThatThrownBy(() -> gone.post("#cpr-alerts", null, message("x"), "test"))
                .isInstanceOfSatisfying(SlackDeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.error()).isEqualTo("no_service");
                });
        assertThat(waits).isEmpty();

        simulator.unavailable(true);
        assertThatThrownBy(() -> webhook.post("#cpr-alerts", null, message("x"), "test"))
                .isInstanceOfSatisfying(SlackDeliveryException.class, e -> assertThat(e.retryable()).isTrue());
        assertThat(waits).hasSize(2);
        gone.close();
    }

    private static SlackMessage message(String text) {
        var blocks = JsonNodeFactory.instance.arrayNode();
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", "*" + text + "*");
        return new SlackMessage(text, blocks);
    }

    private SlackRetry retry() {
        return new SlackRetry(3, Backoff.doubling(Duration.ofMillis(10), Duration.ofMillis(40)), Duration.ofSeconds(5),
                waits::add);
    }
}
