package dev.cpr.backup.domain.retention;

import dev.cpr.contracts.backup.BackupStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which backups of ONE cluster may be deleted. Rules shared by every policy:
 * <ul>
 *   <li>only finished backups are considered: {@code verified} ones by the policy, {@code corrupt} ones are
 *       expired as soon as a newer verified backup exists (they can never be restored);
 *       {@code in-progress} and {@code completed} (drill pending) ones are never touched;</li>
 *   <li>the newest verified backup is never deleted, whatever the policy says.</li>
 * </ul>
 */
public abstract class RetentionPolicy {

    /** The backups to delete, oldest first. */
    public final List<RetainedBackup> expired(List<RetainedBackup> backups, Instant now) {
        List<RetainedBackup> verified = backups.stream()
                .filter(b -> b.status() == BackupStatus.VERIFIED)
                .sorted(Comparator.comparing(RetainedBackup::createdAt).reversed())
                .toList();
        Optional<RetainedBackup> newestVerified = verified.stream().findFirst();
        Set<RetainedBackup> doomed = new LinkedHashSet<>(verified);
        doomed.removeAll(keep(verified, now));
        newestVerified.ifPresent(doomed::remove);
        newestVerified.ifPresent(newest -> backups.stream()
                .filter(b -> b.status() == BackupStatus.CORRUPT && b.createdAt().isBefore(newest.createdAt()))
                .forEach(doomed::add));
        return doomed.stream().sorted(Comparator.comparing(RetainedBackup::createdAt)).toList();
    }

    /**
     * The verified backups this policy keeps.
     *
     * @param newestFirst verified backups of one cluster, newest first
     */
    protected abstract Set<RetainedBackup> keep(List<RetainedBackup> newestFirst, Instant now);

    /** Keeps the {@code n} newest verified backups. */
    public static RetentionPolicy count(int n) {
        return new CountRetention(n);
    }

    /** All of the last hour, the newest per hour for 24 h, per day for 7 days, per week for 4 weeks. */
    public static RetentionPolicy exponential() {
        return new ExponentialRetention();
    }
}
