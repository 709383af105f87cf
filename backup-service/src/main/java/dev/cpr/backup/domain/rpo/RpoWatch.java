package dev.cpr.backup.domain.rpo;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A cluster's recovery point objective: its newest verified backup must be younger than {@code rpo}. When it is not
 * (or there is none), a backup is attempted at once, but not more often than every {@code retryAfter}, so a cluster
 * whose backups keep failing is not hammered.
 */
public final class RpoWatch {

    private final Duration retryAfter;

    public RpoWatch(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /**
     * @param newestVerified creation time of the newest verified backup, if any
     * @param lastAttempt    creation time of the newest backup of any status, if any
     */
    public Decision check(Duration rpo, Optional<Instant> newestVerified, Optional<Instant> lastAttempt, Instant now) {
        if (newestVerified.isPresent() && Duration.between(newestVerified.get(), now).compareTo(rpo) <= 0) {
            return new Decision(false, false, "newest verified backup is " + age(newestVerified.get(), now) + " old, within "
                    + rpo);
        }
        String why = newestVerified.map(t -> "newest verified backup is " + age(t, now) + " old, older than " + rpo)
                .orElse("no verified backup at all (RPO " + rpo + ")");
        boolean attempt = lastAttempt.isEmpty() || Duration.between(lastAttempt.get(), now).compareTo(retryAfter) >= 0;
        return new Decision(true, attempt, attempt ? why + ": backing up now"
                : why + ": the last attempt was " + age(lastAttempt.get(), now) + " ago, retrying after " + retryAfter);
    }

    private static String age(Instant then, Instant now) {
        return Duration.between(then, now).toSeconds() + " s";
    }

    public record Decision(boolean breached, boolean attempt, String reason) {
    }
}
