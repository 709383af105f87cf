package dev.cpr.console.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The age of a cluster's newest verified backup against its RPO: {@code breached} once the newest verified backup
 * is older than the RPO (or there is none and an RPO is set).
 *
 * @param newest the newest verified backup, or null when there is none
 * @param age    its age, or null
 * @param rpo    the cluster's RPO from the inventory, or null when none is set
 */
public record BackupFreshness(Backup newest, Duration age, Duration rpo) {

    public static BackupFreshness of(List<Backup> backupsOfCluster, Duration rpo, Instant now) {
        Optional<Backup> newest = backupsOfCluster.stream().filter(Backup::verified)
                .filter(b -> b.createdAt() != null)
                .max(Comparator.comparing(Backup::createdAt));
        return new BackupFreshness(newest.orElse(null),
                newest.map(b -> Duration.between(b.createdAt(), now)).orElse(null), rpo);
    }

    public boolean breached() {
        if (rpo == null) {
            return false;
        }
        return age == null || age.compareTo(rpo) > 0;
    }

    /** e.g. {@code 4m 10s ago (RPO 6h)}, {@code none verified}. */
    public String describe() {
        String what = age == null ? "none verified" : Ages.human(age) + " ago";
        return rpo == null ? what : what + " (RPO " + Ages.human(rpo) + ")";
    }
}
