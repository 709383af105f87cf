package dev.cpr.notifier.adapters.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.kernel.Backoff;
import dev.cpr.notifier.domain.SlackDeliveryException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlackRetryTest {

    private final List<Duration> waits = new ArrayList<>();
    private final SlackRetry retry = new SlackRetry(3, Backoff.doubling(Duration.ofMillis(100), Duration.ofMillis(400)),
            Duration.ofSeconds(30), waits::add);

    @Test
    void a_rate_limit_waits_what_slack_asked_capped_and_an_unreadable_header_falls_back_to_the_backoff() {
        AtomicInteger calls = new AtomicInteger();

        String sent = retry.call("chat.postMessage", "test", () -> switch (calls.incrementAndGet()) {
            case 1 -> new SlackRetry.Refused<>(rateLimited(), "120");
            case 2 -> new SlackRetry.Refused<>(rateLimited(), "soon");
            default -> new SlackRetry.Sent<>("ts-1");
        });

        assertThat(sent).isEqualTo("ts-1");
        assertThat(waits).containsExactly(Duration.ofSeconds(30), Duration.ofMillis(200));
    }

    @Test
    void an_unreachable_slack_is_retried_then_given_up_with_the_last_cause() {
        assertThatThrownBy(() -> retry.call("webhook", "test", () -> {
            throw new IOException("connection refused");
        })).isInstanceOfSatisfying(SlackDeliveryException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("Slack webhook unreachable: connection refused");
        });
        assertThat(waits).hasSize(2);
    }

    @Test
    void a_permanent_refusal_fails_at_once_without_waiting() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.call("chat.update", "test", () -> {
            calls.incrementAndGet();
            return new SlackRetry.Refused<>(new SlackDeliveryException("channel_not_found", "no channel", null, false),
                    null);
        })).hasMessage("no channel");
        assertThat(calls).hasValue(1);
        assertThat(waits).isEmpty();
    }

    private static SlackDeliveryException rateLimited() {
        return new SlackDeliveryException("ratelimited", "HTTP 429", null, true);
    }
}
