package dev.cpr.console.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * A series turned into the coordinates of an SVG bar chart, so a template can draw it with nothing but
 * {@code <rect>} and {@code <text>} (no script, nothing fetched). The value axis starts at zero and ends at the
 * first "round" number (1, 2 or 5 times a power of ten) at or above the largest value, so bars of different charts
 * are read against plain gridlines.
 *
 * @param id      a stable name for the page and its tests, e.g. {@code recovery-time}
 * @param bars    one per datum, left to right in the order given
 * @param axisMax the value at the top of the plot, as text ({@code 20s}, {@code 50 MiB})
 * @param axisMid half of it, at the middle gridline
 */
public record BarChart(String id, String title, int width, int height, List<Bar> bars, String axisMax,
        String axisMid) {

    public static final int WIDTH = 640;
    public static final int HEIGHT = 180;
    /** Room for the value labels on the left and the bar labels below. */
    public static final int LEFT = 56;
    public static final int TOP = 12;
    public static final int BOTTOM = 24;
    private static final double MAX_BAR_WIDTH = 36;

    /** One bar: its rectangle, the label under it and its value as text (shown on hover and above the bar). */
    public record Bar(double x, double y, double width, double height, String label, String value) {

        public double labelX() {
            return round(x + width / 2);
        }
    }

    /** One value of the series: what it is about (a short label) and the value in the chart's unit. */
    public record Datum(String label, double value) {
    }

    /**
     * @param format how a value (and the axis) is written, e.g. seconds as {@code 4.2s}
     * @throws IllegalArgumentException for a negative value: a duration or size below zero is a bug upstream
     */
    public static BarChart of(String id, String title, List<Datum> data, DoubleFunction<String> format) {
        for (Datum d : data) {
            if (d.value() < 0 || Double.isNaN(d.value())) {
                throw new IllegalArgumentException("chart " + id + ": value of " + d.label() + " is " + d.value()
                        + ", must be zero or more");
            }
        }
        double max = niceCeiling(data.stream().mapToDouble(Datum::value).max().orElse(0));
        double plotWidth = WIDTH - LEFT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = data.isEmpty() ? plotWidth : plotWidth / data.size();
        double barWidth = Math.min(MAX_BAR_WIDTH, slot * 0.7);
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Datum d = data.get(i);
            double h = plotHeight * d.value() / max;
            bars.add(new Bar(round(LEFT + i * slot + (slot - barWidth) / 2), round(TOP + plotHeight - h),
                    round(barWidth), round(h), d.label(), format.apply(d.value())));
        }
        return new BarChart(id, title, WIDTH, HEIGHT, bars, format.apply(max), format.apply(max / 2));
    }

    public boolean empty() {
        return bars.isEmpty();
    }

    /** Labels under the bars only while they fit; with more bars each one says what it is on hover. */
    public boolean labelled() {
        return bars.size() <= 8;
    }

    /** The y of the plot's baseline (value zero). */
    public int baseline() {
        return HEIGHT - BOTTOM;
    }

    public int midline() {
        return TOP + (HEIGHT - TOP - BOTTOM) / 2;
    }

    public int top() {
        return TOP;
    }

    public int left() {
        return LEFT;
    }

    /** Where the value labels of the axis end (right-aligned, left of the plot). */
    public int tickX() {
        return LEFT - 6;
    }

    /** The baselines of the three axis labels: a label's middle sits on its gridline. */
    public int topTickY() {
        return TOP + 4;
    }

    public int midTickY() {
        return midline() + 4;
    }

    public int baseTickY() {
        return baseline() + 4;
    }

    /** The baseline of the labels under the bars. */
    public int labelY() {
        return baseline() + 15;
    }

    /** 1, 2 or 5 times a power of ten, at or above {@code value}; 1 for an all-zero series (a flat chart). */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value * (1 - 1e-9)) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
