package dev.cpr.console.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BarChartTest {

    private static final double PLOT_HEIGHT = BarChart.HEIGHT - BarChart.TOP - BarChart.BOTTOM;

    @Test
    void theTallestBarReachesTheRoundNumberAtTheTopOfTheAxisAndTheOthersScaleWithIt() {
        // given: 4 s, 8 s and 2 s: the axis ends at 10 s
        List<BarChart.Datum> data = List.of(new BarChart.Datum("a", 4), new BarChart.Datum("b", 8),
                new BarChart.Datum("c", 2));
        // when
        BarChart chart = BarChart.of("recovery-time", "Recovery time", data, v -> v + "s");
        // then
        assertThat(chart.axisMax()).isEqualTo("10.0s");
        assertThat(chart.axisMid()).isEqualTo("5.0s");
        assertThat(chart.bars()).extracting(BarChart.Bar::height)
                .containsExactly(round(0.4 * PLOT_HEIGHT), round(0.8 * PLOT_HEIGHT), round(0.2 * PLOT_HEIGHT));
        // every bar stands on the baseline
        assertThat(chart.bars()).allSatisfy(b -> assertThat(b.y() + b.height())
                .isCloseTo(chart.baseline(), within(0.05)));
        assertThat(chart.bars()).extracting(BarChart.Bar::value).containsExactly("4.0s", "8.0s", "2.0s");
    }

    @Test
    void barsGoLeftToRightInTheOrderGivenInsideThePlotWithoutTouching() {
        // when
        BarChart chart = BarChart.of("sizes", "Sizes", List.of(new BarChart.Datum("old", 1),
                new BarChart.Datum("mid", 1), new BarChart.Datum("new", 1)), String::valueOf);
        // then
        List<BarChart.Bar> bars = chart.bars();
        assertThat(bars).extracting(BarChart.Bar::label).containsExactly("old", "mid", "new");
        assertThat(bars.get(0).x()).isGreaterThanOrEqualTo(BarChart.LEFT);
        for (int i = 1; i < bars.size(); i++) {
            assertThat(bars.get(i).x()).isGreaterThan(bars.get(i - 1).x() + bars.get(i - 1).width());
        }
        BarChart.Bar last = bars.get(bars.size() - 1);
        assertThat(last.x() + last.width()).isLessThanOrEqualTo(BarChart.WIDTH);
        assertThat(last.labelX()).isEqualTo(Math.round((last.x() + last.width() / 2) * 10) / 10.0);
    }

    @Test
    void theAxisEndsAtOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(BarChart.niceCeiling(0.3)).isEqualTo(0.5);
        assertThat(BarChart.niceCeiling(7.5)).isEqualTo(10);
        assertThat(BarChart.niceCeiling(13)).isEqualTo(20);
        assertThat(BarChart.niceCeiling(200)).isEqualTo(200);
        assertThat(BarChart.niceCeiling(201)).isEqualTo(500);
    }

    @Test
    void anAllZeroSeriesDrawsFlatBarsInsteadOfDividingByZero() {
        // given: three plans that lost no data (RPO zero)
        BarChart chart = BarChart.of("rpo", "RPO", List.of(new BarChart.Datum("a", 0), new BarChart.Datum("b", 0)),
                String::valueOf);
        // then
        assertThat(chart.bars()).allSatisfy(b -> {
            assertThat(b.height()).isZero();
            assertThat(b.y()).isEqualTo((double) chart.baseline());
        });
    }

    @Test
    void anEmptySeriesIsAnEmptyChartNotAnError() {
        BarChart chart = BarChart.of("rpo", "RPO", List.of(), String::valueOf);
        assertThat(chart.empty()).isTrue();
    }

    @Test
    void aNegativeValueIsRefusedNamingTheChartAndTheDatum() {
        assertThatThrownBy(() -> BarChart.of("recovery-time", "t", List.of(new BarChart.Datum("plan 1", -2)),
                String::valueOf))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("chart recovery-time: value of plan 1 is -2.0, must be zero or more");
    }

    @Test
    void labelsUnderTheBarsOnlyWhileTheyFit() {
        List<BarChart.Datum> few = List.of(new BarChart.Datum("a", 1));
        List<BarChart.Datum> many = java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> new BarChart.Datum("p" + i, i)).toList();
        assertThat(BarChart.of("x", "x", few, String::valueOf).labelled()).isTrue();
        assertThat(BarChart.of("x", "x", many, String::valueOf).labelled()).isFalse();
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
