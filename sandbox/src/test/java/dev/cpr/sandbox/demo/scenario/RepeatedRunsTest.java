package dev.cpr.sandbox.demo.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatedRunsTest {

    private static ScenarioResult run(boolean ok, Long detected, Long recovered) {
        return new ScenarioResult("member-crash").ok(ok).put("detected_ms", detected).put("recovered_ms", recovered);
    }

    @Test
    void fiveRunsGiveTheMedianAndTheMaximumOfEachTiming() {
        ScenarioResult summary = RepeatedRuns.summarise("member-crash", List.of(run(true, 900L, 5_000L),
                run(true, 1_100L, 4_000L), run(true, 700L, 9_000L), run(true, 1_000L, 4_500L), run(true, 950L, 4_800L)));

        assertThat(summary.ok()).isTrue();
        assertThat(summary.get("scenario")).isEqualTo("member-crash x5");
        assertThat(summary.get("ok_runs")).isEqualTo(5L);
        assertThat(summary.get("detected_ms_median")).isEqualTo(950L);
        assertThat(summary.get("detected_ms_max")).isEqualTo(1_100L);
        assertThat(summary.get("recovered_ms_median")).isEqualTo(4_800L);
        assertThat(summary.get("recovered_ms_max")).isEqualTo(9_000L);
        assertThat(summary.fields()).doesNotContainKey("resolved_ms_median");
    }

    @Test
    void aFailedRunMakesTheSummaryNotOkButItsFiguresStillCount() {
        ScenarioResult summary = RepeatedRuns.summarise("member-data-loss", List.of(run(true, 1_000L, 6_000L),
                run(false, 3_000L, null)));

        assertThat(summary.ok()).isFalse();
        assertThat(summary.get("ok_runs")).isEqualTo(1L);
        assertThat(summary.get("detected_ms_median")).as("mean of the two middle values").isEqualTo(2_000L);
        assertThat(summary.get("recovered_ms_max")).isEqualTo(6_000L);
    }
}
