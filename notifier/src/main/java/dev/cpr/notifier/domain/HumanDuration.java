package dev.cpr.notifier.domain;

import java.time.Duration;

/** Durations for people: {@code 42s}, {@code 3m 05s}, {@code 1h 02m}, {@code 2d 03h}. Negative counts as zero. */
public final class HumanDuration {

    private HumanDuration() {
    }

    public static String format(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm %02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86400) {
            return String.format("%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
        }
        return String.format("%dd %02dh", seconds / 86400, (seconds % 86400) / 3600);
    }
}
