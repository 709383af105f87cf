package dev.cpr.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {

    @Test
    void secondsMinutesHoursAndDaysReadNaturally() {
        assertThat(HumanDuration.format(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(HumanDuration.format(Duration.ofSeconds(185))).isEqualTo("3m 05s");
        assertThat(HumanDuration.format(Duration.ofMinutes(62))).isEqualTo("1h 02m");
        assertThat(HumanDuration.format(Duration.ofHours(51))).isEqualTo("2d 03h");
    }

    @Test
    void negativeDurationsCountAsZero() {
        assertThat(HumanDuration.format(Duration.ofSeconds(-5))).isEqualTo("0s");
    }
}
