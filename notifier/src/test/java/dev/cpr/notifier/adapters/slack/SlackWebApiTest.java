package dev.cpr.notifier.adapters.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cpr.kernel.Backoff;
import dev.cpr.notifier.domain.SlackDeliveryException;
import dev.cpr.notifier.domain.SlackMessage;
import dev.cpr.notifier.domain.SlackMessageTag;
import dev.cpr.notifier.domain.SlackPort.Posted;
import dev.cpr.sandbox.slack.SlackSimulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official SDK's requests against the sandbox's Slack simulator: what it sends is what the simulator reads. */
class SlackWebApiTest {

    private static final String TOKEN = "xoxb-sandbox";

    private final List<Duration> waits = new ArrayList<>();
    private SlackSimulator simulator;
    private SlackWebApi api;

    @BeforeEach
    void start() {
        simulator = SlackSimulator.start(0, TOKEN, Clock.systemUTC());
        api = client(TOKEN);
    }

    @AfterEach
    void stop() {
        api.close();
        simulator.close();
    }

    @Test
    void postedBlocksAndTextArriveAsSentAndUpdateReplacesThem() {
        Posted posted = api.post("#cpr-alerts", null, message("first"), "test");
        Posted reply = api.post(posted.channel(), posted.ts(), message("reply"), "test");
        api.update(posted.channel(), posted.ts(), message("second"), "test");

        assertThat(posted.channel()).isEqualTo(SlackSimulator.DEFAULT_CHANNEL_ID);
        assertThat(simulator.message(posted.ts())).get().satisfies(m -> {
            assertThat(m.text()).isEqualTo("second");
            assertThat(m.blocks().get(0).path("text").path("text").asText()).isEqualTo("*second*");
            assertThat(m.updates()).hasSize(1);
        });
        assertThat(simulator.replies(posted.ts())).singleElement()
                .satisfies(m -> assertThat(m.ts()).isEqualTo(reply.ts()));
    }

    @Test
    void aTaggedPostCarriesItsMetadataAndIsFoundAgainPastAPageOfLaterMessages() {
        Instant before = Instant.now().minusSeconds(1);
        SlackMessageTag tag = new SlackMessageTag(41, 7);
        Posted tagged = api.post(SlackSimulator.DEFAULT_CHANNEL_ID, null, message("tagged"), tag, "test");
        for (int i = 0; i < SlackWebApi.PAGE + 10; i++) {
            api.post(SlackSimulator.DEFAULT_CHANNEL_ID, null, message("later " + i), new SlackMessageTag(1000 + i, 7),
                    "test");
        }

        assertThat(simulator.message(tagged.ts())).get().satisfies(m -> {
            assertThat(m.metadata().path("event_type").asText()).isEqualTo(SlackMessageTag.EVENT_TYPE);
            assertThat(m.metadata().path("event_payload").path("outbox_id").asText()).isEqualTo("41");
        });
        assertThat(api.findPosted(SlackSimulator.DEFAULT_CHANNEL_ID, null, tag, before, "test"))
                .contains(new Posted(SlackSimulator.DEFAULT_CHANNEL_ID, tagged.ts()));
        assertThat(api.findPosted(SlackSimulator.DEFAULT_CHANNEL_ID, null, new SlackMessageTag(42, 7), before, "test"))
                .isEmpty();
        assertThat(api.findPosted(SlackSimulator.DEFAULT_CHANNEL_ID, null, tag, Instant.now().plusSeconds(1), "test"))
                .as("a message older than the window is not looked at").isEmpty();
    }

    @Test
    void aTaggedReplyIsFoundInItsThreadNotInTheChannel() {
        Instant before = Instant.now().minusSeconds(1);
        Posted parent = api.post("#cpr-alerts", null, message("parent"), "test");
        SlackMessageTag tag = new SlackMessageTag(43, 8);
        Posted reply = api.post(parent.channel(), parent.ts(), message("reply"), tag, "test");

        assertThat(api.findPosted(parent.channel(), parent.ts(), tag, before, "test"))
                .contains(new Posted(parent.channel(), reply.ts()));
        assertThat(api.findPosted(parent.channel(), null, tag, before, "test")).isEmpty();
    }

    @Test
    void rateLimitedCallWaitsTheRetryAfterAndSucceeds() {
        simulator.rateLimitNext(1, 3);

        Posted posted = api.post("#cpr-alerts", null, message("after 429"), "test");

        assertThat(posted.ts()).isNotBlank();
        assertThat(waits).containsExactly(Duration.ofSeconds(3));
        assertThat(simulator.messages()).hasSize(1);
    }

    @Test
    void transientSlackErrorsAreRetriedWithBackoff() {
        simulator.failNext(2, "internal_error");

        api.post("#cpr-alerts", null, message("eventually"), "test");

        assertThat(waits).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
        assertThat(simulator.messages()).hasSize(1);
    }

    @Test
    void permanentErrorsFailAtOnceNamingSlacksError() {
        assertThatThrownBy(() -> api.update("C0SANDBOX", "1.000001", message("x"), "test"))
                .isInstanceOfSatisfying(SlackDeliveryException.class,
                        e -> assertThat(e.error()).isEqualTo("message_not_found"));
        assertThat(waits).isEmpty();
    }

    @Test
    void aWrongTokenIsInvalidAuth() {
        try (SlackWebApi wrong = client("xoxb-wrong")) {
            assertThatThrownBy(() -> wrong.post("#cpr-alerts", null, message("x"), "test"))
                    .isInstanceOfSatisfying(SlackDeliveryException.class,
                            e -> assertThat(e.error()).isEqualTo("invalid_auth"));
        }
    }

    @Test
    void givesUpAfterMaxAttempts() {
        simulator.failNext(10, "service_unavailable");

        assertThatThrownBy(() -> api.post("#cpr-alerts", null, message("x"), "test"))
                .isInstanceOf(SlackDeliveryException.class).hasMessageContaining("service_unavailable");
        assertThat(waits).hasSize(3);
        assertThat(simulator.messages()).isEmpty();
    }

    private SlackWebApi client(String token) {
        return new SlackWebApi(simulator.apiUrl(), token,
                new SlackRetry(4, Backoff.doubling(Duration.ofMillis(10), Duration.ofMillis(40)), Duration.ofSeconds(30),
                        waits::add));
    }

    private static SlackMessage message(String text) {
        var blocks = JsonNodeFactory.instance.arrayNode();
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", "*" + text + "*");
        return new SlackMessage(text, blocks);
    }
}
