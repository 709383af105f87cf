package dev.cpr.backup.domain.rpo;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A cluster's recovery point objective: its newest verified backup must be younger than {@code rpo}.
 * <ul>
 *   <li><b>breached</b> (the metric): the newest verified backup is older than the RPO, or there is none;</li>
 *   <li><b>incident</b>: breached, and it is not just that the service started a moment ago: with no verified
 *       backup at all, an incident opens only once the service has been up longer than the RPO;</li>
 *   <li><b>attempt</b>: a backup is started at once on a breach, unless one was attempted since the newest verified
 *       backup within {@code retryAfter} (a cluster whose backups keep failing is not hammered; one in progress is
 *       waited for).</li>
 * </ul>
 */
public final class RpoWatch {

    private final Duration retryAfter;

    public RpoWatch(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /**
     * @param newestVerified creation time of the newest verified backup, if any
     * @param lastAttempt    creation time of the newest backup of any status, if any
     * @param startedAt      when this service started watching
     */
    public Decision check(Duration rpo, Optional<Instant> newestVerified, Optional<Instant> lastAttempt, Instant startedAt,
            Instant now) {
        if (newestVerified.isPresent() && Duration.between(newestVerified.get(), now).compareTo(rpo) <= 0) {
            return new Decision(false, false, false, null, "newest verified backup is " + age(newestVerified.get(), now)
                    + " old, within " + rpo);
        }
        Instant breachedSince = newestVerified.orElse(startedAt).plus(rpo);
        boolean incident = !now.isBefore(breachedSince);
        String why = newestVerified.map(t -> "newest verified backup is " + age(t, now) + " old, older than the RPO " + rpo)
                .orElse("no verified backup at all (RPO " + rpo + ")");
        boolean newestIsTheVerified = lastAttempt.isPresent() && lastAttempt.equals(newestVerified);
        boolean attempt = lastAttempt.isEmpty() || newestIsTheVerified
                || Duration.between(lastAttempt.get(), now).compareTo(retryAfter) >= 0;
        return new Decision(true, incident, attempt, incident ? breachedSince : null, attempt ? why + ": backing up now"
                : why + ": the last attempt was " + age(lastAttempt.get(), now) + " ago, retrying after " + retryAfter);
    }

    private static String age(Instant then, Instant now) {
        return Duration.between(then, now).toSeconds() + " s";
    }

    /**
     * @param breachedSince when the RPO was first exceeded (newest verified + RPO, or start-up + RPO): the same on
     *                      every replica, so it names the incident; null unless {@code incident}
     */
    public record Decision(boolean breached, boolean incident, boolean attempt, Instant breachedSince, String reason) {

        /** The incident id for a breach of {@code clusterId}: deterministic, one per breach. */
        public String incidentId(String clusterId) {
            return "backup-rpo-" + clusterId + "-" + breachedSince.getEpochSecond();
        }
    }
}
