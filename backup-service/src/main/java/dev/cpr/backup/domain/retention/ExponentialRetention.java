package dev.cpr.backup.domain.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Exponential thinning ("Exponential" in gardener's etcd-backup-restore), by age {@code a = now - created}:
 * <pre>
 *   a &lt;  1 h    keep every backup
 *   a &lt; 24 h    keep the newest of each clock hour          (UTC, epoch-aligned)
 *   a &lt;  7 d    keep the newest of each day                 (UTC)
 *   a &lt; 28 d    keep the newest of each 7-day week           (epoch-aligned weeks)
 *   older      delete
 * </pre>
 * A backup survives if it is the newest of its bucket within its age band.
 */
final class ExponentialRetention extends RetentionPolicy {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration WEEK = Duration.ofDays(7);

    @Override
    protected Set<RetainedBackup> keep(List<RetainedBackup> newestFirst, Instant now) {
        Set<RetainedBackup> kept = new LinkedHashSet<>();
        Set<String> bucketsTaken = new HashSet<>();
        for (RetainedBackup backup : newestFirst) {
            Duration age = Duration.between(backup.createdAt(), now);
            String bucket = bucketOf(backup.createdAt(), age);
            if (bucket == null) {
                continue;
            }
            if (bucket.equals("all") || bucketsTaken.add(bucket)) {
                kept.add(backup);
            }
        }
        return kept;
    }

    private static String bucketOf(Instant created, Duration age) {
        long epochSecond = created.getEpochSecond();
        if (age.compareTo(HOUR) < 0) {
            return "all";
        }
        if (age.compareTo(DAY) < 0) {
            return "h" + Math.floorDiv(epochSecond, HOUR.toSeconds());
        }
        if (age.compareTo(WEEK) < 0) {
            return "d" + Math.floorDiv(epochSecond, DAY.toSeconds());
        }
        if (age.compareTo(WEEK.multipliedBy(4)) < 0) {
            return "w" + Math.floorDiv(epochSecond, WEEK.toSeconds());
        }
        return null;
    }

    @Override
    public String toString() {
        return "exponential";
    }
}
