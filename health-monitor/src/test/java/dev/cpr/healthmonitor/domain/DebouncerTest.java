package dev.cpr.healthmonitor.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.healthmonitor.domain.Debouncer.Transition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DebouncerTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final Debouncer<String> debouncer = new Debouncer<>(2);

    private static Instant t(int poll) {
        return T0.plusSeconds(2L * poll);
    }

    @Test
    void aSingleFailedPollIsNotConfirmed() {
        // when
        Transition first = debouncer.observe("c1", true, t(0));
        // then
        assertThat(first).isEqualTo(Transition.NONE);
        assertThat(debouncer.isConfirmed("c1")).isFalse();
    }

    @Test
    void aFailureSeenOnNConsecutivePollsIsConfirmedWithTheFirstPollAsFirstSeen() {
        // given
        debouncer.observe("c1", true, t(0));
        // when
        Transition second = debouncer.observe("c1", true, t(1));
        // then
        assertThat(second).isEqualTo(Transition.CONFIRMED);
        assertThat(debouncer.isConfirmed("c1")).isTrue();
        assertThat(debouncer.firstSeen("c1")).contains(t(0));
    }

    @Test
    void aFlapDoesNotConfirmAndRestartsTheStreak() {
        // given: present, absent, present
        debouncer.observe("c1", true, t(0));
        debouncer.observe("c1", false, t(1));
        // when
        Transition third = debouncer.observe("c1", true, t(2));
        // then
        assertThat(third).isEqualTo(Transition.NONE);
        assertThat(debouncer.isConfirmed("c1")).isFalse();
        assertThat(debouncer.firstSeen("c1")).contains(t(2));
    }

    @Test
    void aConfirmedFailureStaysConfirmedAfterOneGoodPoll() {
        // given
        debouncer.observe("c1", true, t(0));
        debouncer.observe("c1", true, t(1));
        // when
        Transition good = debouncer.observe("c1", false, t(2));
        // then
        assertThat(good).isEqualTo(Transition.NONE);
        assertThat(debouncer.isConfirmed("c1")).isTrue();
    }

    @Test
    void aConfirmedFailureClearsAfterNConsecutiveGoodPolls() {
        // given
        debouncer.observe("c1", true, t(0));
        debouncer.observe("c1", true, t(1));
        debouncer.observe("c1", false, t(2));
        // when
        Transition cleared = debouncer.observe("c1", false, t(3));
        // then
        assertThat(cleared).isEqualTo(Transition.CLEARED);
        assertThat(debouncer.isConfirmed("c1")).isFalse();
        assertThat(debouncer.firstSeen("c1")).isEmpty();
    }

    @Test
    void aFailureBetweenGoodPollsRestartsTheClearingStreak() {
        // given: confirmed, then good, bad, good
        debouncer.observe("c1", true, t(0));
        debouncer.observe("c1", true, t(1));
        debouncer.observe("c1", false, t(2));
        debouncer.observe("c1", true, t(3));
        // when
        Transition afterOneGood = debouncer.observe("c1", false, t(4));
        // then
        assertThat(afterOneGood).isEqualTo(Transition.NONE);
        assertThat(debouncer.isConfirmed("c1")).isTrue();
        assertThat(debouncer.firstSeen("c1")).contains(t(0));
    }

    @Test
    void keysAreDebouncedIndependently() {
        // given
        debouncer.observe("c1", true, t(0));
        debouncer.observe("c2", true, t(0));
        // when
        debouncer.observe("c1", true, t(1));
        debouncer.observe("c2", false, t(1));
        // then
        assertThat(debouncer.isConfirmed("c1")).isTrue();
        assertThat(debouncer.isConfirmed("c2")).isFalse();
    }

    @Test
    void withOnePollEveryFailureIsConfirmedAtOnce() {
        // given
        Debouncer<String> immediate = new Debouncer<>(1);
        // when
        Transition first = immediate.observe("c1", true, t(0));
        // then
        assertThat(first).isEqualTo(Transition.CONFIRMED);
        assertThat(immediate.observe("c1", false, t(1))).isEqualTo(Transition.CLEARED);
    }

    @Test
    void aRestoredConfirmationNeedsNGoodPollsToClear() {
        // given
        debouncer.confirm("c1", t(0));
        // when
        Transition first = debouncer.observe("c1", false, t(5));
        Transition second = debouncer.observe("c1", false, t(6));
        // then
        assertThat(first).isEqualTo(Transition.NONE);
        assertThat(second).isEqualTo(Transition.CLEARED);
    }

    @Test
    void zeroPollsIsRefused() {
        assertThatThrownBy(() -> new Debouncer<String>(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
