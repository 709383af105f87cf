package dev.cpr.contracts.inventory;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster's backups: when, how long they are kept, the age of data it may lose at most.
 *
 * @param schedule         cron (Quartz form, seconds first: {@code 0 0 0/6 * * ?}); null: only manual and
 *                         incident-driven backups
 * @param retention        which verified snapshots to keep; null: the service default
 * @param rpo              the oldest the newest verified backup may be ({@code 90s}, {@code 15m}, {@code 6h},
 *                         {@code 1d} or ISO-8601 {@code PT6H}); past it an incident opens and a backup is tried
 * @param compression      {@code none} or {@code gzip}; null: the service default
 * @param v2Data           the cluster also holds etcd v2 keys (seed 002: flannel), exported beside each snapshot
 * @param incidentSnapshot take a snapshot at once when an incident opens while quorum holds (default true)
 */
public record BackupPolicy(
        String schedule,
        Retention retention,
        String rpo,
        String compression,
        Boolean v2Data,
        Boolean incidentSnapshot) {

    /** {@code count}: the newest {@code keep}; {@code exponential}: hourly for a day, daily for a week, weekly for four. */
    public record Retention(String policy, Integer keep) {
    }

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(s|m|h|d)");

    public boolean hasV2Data() {
        return Boolean.TRUE.equals(v2Data);
    }

    public boolean takesIncidentSnapshots() {
        return !Boolean.FALSE.equals(incidentSnapshot);
    }

    /** The RPO as a duration, or null when none is set. */
    public Duration rpoDuration() {
        return rpo == null ? null : parseDuration(rpo);
    }

    /** {@code 90s}, {@code 15m}, {@code 6h}, {@code 1d}, or ISO-8601; IllegalArgumentException otherwise. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (90s, 15m, 6h, 1d or PT6H)");
        }
    }
}
