package dev.cpr.sandbox.demo.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures of one scenario run several times ({@code ./cpr demo --scenario NAME --repeat N}): how many runs were ok,
 * and the median and the maximum of each timing, over the runs that measured it. A run that failed still counts in
 * the figures it measured (a slow detection is a figure too) and is named in {@code ok_runs}.
 */
public final class RepeatedRuns {

    /** The timings summarised, as the scenarios name them. */
    static final List<String> TIMINGS = List.of("detected_ms", "recovered_ms", "resolved_ms");

    private RepeatedRuns() {
    }

    /** One result line: {@code scenario}, {@code ok} (every run ok), {@code runs}, {@code ok_runs}, per timing {@code _median}, {@code _max}, {@code _all}. */
    public static ScenarioResult summarise(String scenario, List<ScenarioResult> runs) {
        ScenarioResult summary = new ScenarioResult(scenario + " x" + runs.size());
        long ok = runs.stream().filter(ScenarioResult::ok).count();
        summary.ok(!runs.isEmpty() && ok == runs.size()).put("runs", runs.size()).put("ok_runs", ok);
        for (String timing : TIMINGS) {
            List<Long> values = new ArrayList<>();
            for (ScenarioResult run : runs) {
                if (run.get(timing) instanceof Number n) {
                    values.add(n.longValue());
                }
            }
            if (values.isEmpty()) {
                continue;
            }
            String name = timing.substring(0, timing.length() - "_ms".length());
            summary.put(name + "_ms_median", median(values)).put(name + "_ms_max", values.stream()
                    .mapToLong(Long::longValue).max().orElseThrow()).put(name + "_ms_all", values);
        }
        return summary;
    }

    /** The middle value; of an even count, the mean of the two middle ones (rounded down). */
    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
