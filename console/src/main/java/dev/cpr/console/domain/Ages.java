package dev.cpr.console.domain;

import java.time.Duration;

/** Durations as people read them on a dashboard: {@code 42s}, {@code 5m 12s}, {@code 3h 4m}, {@code 2d 5h}. */
public final class Ages {

    private Ages() {
    }

    public static String human(Duration d) {
        if (d == null) {
            return "-";
        }
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return d.toMillis() < 10_000 && d.toMillis() % 1000 != 0 ? String.format("%.1fs", d.toMillis() / 1000.0)
                    : s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86_400) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86_400) + "d " + (s % 86_400 / 3600) + "h";
    }
}
