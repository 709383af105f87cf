package dev.cpr.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

    private final List<Duration> slept = new ArrayList<>();
    private final Poll poll = new Poll(slept::add);

    @Test
    void aConditionThatHoldsAtOnceGivesItsValueWithoutSleeping() throws Exception {
        Poll.Outcome<String> outcome = poll.until(() -> Poll.done("ready"), Duration.ofSeconds(1),
                Duration.ofMillis(100));

        assertThat(outcome.held()).isTrue();
        assertThat(outcome.orElseThrow(IllegalStateException::new)).isEqualTo("ready");
        assertThat(outcome.sleeps()).isZero();
        assertThat(slept).isEmpty();
    }

    @Test
    void itSleepsOneIntervalBetweenLooksUntilTheConditionHolds() throws Exception {
        AtomicInteger looks = new AtomicInteger();

        Poll.Outcome<Integer> outcome = poll.until(() -> looks.incrementAndGet() < 3
                ? Poll.notYet("look " + looks.get()) : Poll.done(looks.get()), Duration.ofSeconds(1),
                Duration.ofMillis(100));

        assertThat(outcome.value()).contains(3);
        assertThat(outcome.sleeps()).isEqualTo(2);
        assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
    }

    @Test
    void whenTimeRunsOutTheFailureNamesTheLastLook() throws Exception {
        AtomicInteger looks = new AtomicInteger();

        Poll.Outcome<String> outcome = poll.until(() -> Poll.notYet("look " + looks.incrementAndGet()),
                Duration.ofMillis(500), Duration.ofMillis(100));

        assertThat(looks).hasValue(5);
        assertThat(slept).hasSize(4);
        assertThat(outcome.held()).isFalse();
        assertThat(outcome.gaveUp()).isFalse();
        assertThatThrownBy(() -> outcome.orElseThrow(last -> new IllegalStateException("late: " + last)))
                .hasMessage("late: look 5");
    }

    @Test
    void aConditionThatGivesUpEndsTheWaitAtOnce() throws Exception {
        Poll.Outcome<String> outcome = poll.until(() -> Poll.giveUp("the snapshot failed"), Duration.ofSeconds(10),
                Duration.ofMillis(100));

        assertThat(outcome.gaveUp()).isTrue();
        assertThat(outcome.last()).isEqualTo("the snapshot failed");
        assertThat(slept).isEmpty();
    }

    @Test
    void aTimeoutShorterThanTheIntervalStillLooksOnce() throws Exception {
        AtomicInteger looks = new AtomicInteger();

        poll.until(() -> Poll.notYet("look " + looks.incrementAndGet()), Duration.ofMillis(50), Duration.ofMillis(100));

        assertThat(looks).hasValue(1);
        assertThat(slept).isEmpty();
    }
}
