package dev.cpr.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void oneCellPerStepFilledForTheDoneOnes() {
        assertThat(ProgressBar.render(3, 5)).isEqualTo("▰▰▰▱▱ 3/5");
    }

    @Test
    void fullOnlyWhenEveryStepIsDone() {
        assertThat(ProgressBar.render(5, 5)).isEqualTo("▰▰▰▰▰ 5/5");
        assertThat(ProgressBar.render(19, 20)).isEqualTo("▰▰▰▰▰▰▰▰▰▱ 19/20");
    }

    @Test
    void longPlansAreScaledToTenCells() {
        assertThat(ProgressBar.render(10, 20)).isEqualTo("▰▰▰▰▰▱▱▱▱▱ 10/20");
    }

    @Test
    void aPlanWithoutStepsShowsAnEmptyBar() {
        assertThat(ProgressBar.render(0, 0)).isEqualTo("▱▱▱▱▱ 0/0");
    }

    @Test
    void moreDoneThanTotalIsRefused() {
        assertThatThrownBy(() -> ProgressBar.render(6, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("6/5");
    }
}
