package dev.cpr.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8));

    @Test
    void doublesFromTheInitialDelayUntilTheCap() {
        assertThat(backoff.delayBeforeRetry(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delayBeforeRetry(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delayBeforeRetry(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delayBeforeRetry(5)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delayBeforeRetry(6)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void veryLateRetriesStayAtTheCapInsteadOfOverflowing() {
        assertThat(backoff.delayBeforeRetry(200)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void aCapBelowTheInitialDelayIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
