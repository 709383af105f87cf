package dev.cpr.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(2));

    @Test
    void theDelayDoublesAfterEachFailureUntilTheCap() {
        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.delayAfter(4)).isEqualTo(Duration.ofMillis(1600));
        assertThat(backoff.delayAfter(5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayAfter(60)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aFractionalMultiplierGrowsSlowerButStillCaps() {
        Backoff gentle = new Backoff(Duration.ofMillis(100), 1.5, Duration.ofSeconds(1));

        assertThat(gentle.delayAfter(2)).isEqualTo(Duration.ofMillis(150));
        assertThat(gentle.delayAfter(3)).isEqualTo(Duration.ofMillis(225));
        assertThat(gentle.delayAfter(10)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void nonsenseParametersAreRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, 2, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void doublingGoesFromTheInitialDelayUntilTheCap() {
        Backoff doubling = Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(8));

        assertThat(doubling.delayAfter(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(doubling.delayAfter(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(doubling.delayAfter(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(doubling.delayAfter(5)).isEqualTo(Duration.ofSeconds(8));
        assertThat(doubling.delayAfter(6)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void veryLateRetriesStayAtTheCapInsteadOfOverflowing() {
        assertThat(Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(8)).delayAfter(200))
                .isEqualTo(Duration.ofSeconds(8));
    }
}
