package dev.cpr.console.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The age of a cluster's newest verified backup against its RPO.
 *
 * @param newest     the newest verified backup, or null when there is none
 * @param ageSeconds its age, or null
 * @param rpoSeconds the cluster's RPO from the inventory, or null when none is set
 * @param breached   an RPO is set and the newest verified backup is older (or there is none)
 * @param summary    e.g. {@code 4m 10s ago (RPO 6h 0m)}, {@code none verified}
 */
public record BackupFreshness(Backup newest, Long ageSeconds, Long rpoSeconds, boolean breached, String summary) {

    public static BackupFreshness of(List<Backup> backupsOfCluster, Duration rpo, Instant now) {
        Optional<Backup> newest = backupsOfCluster.stream().filter(Backup::verified)
                .filter(b -> b.createdAt() != null)
                .max(Comparator.comparing(Backup::createdAt));
        Duration age = newest.map(b -> Duration.between(b.createdAt(), now)).orElse(null);
        boolean breached = rpo != null && (age == null || age.compareTo(rpo) > 0);
        String what = age == null ? "none verified" : Ages.human(age) + " ago";
        String summary = rpo == null ? what : what + " (RPO " + Ages.human(rpo) + ")";
        return new BackupFreshness(newest.orElse(null), age == null ? null : age.getSeconds(),
                rpo == null ? null : rpo.getSeconds(), breached, summary);
    }

    /** Whether the overview should draw the eye here: the RPO is breached, or nothing was ever verified. */
    public boolean needsAttention() {
        return breached || newest == null;
    }
}
