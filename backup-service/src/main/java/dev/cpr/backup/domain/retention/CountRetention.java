package dev.cpr.backup.domain.retention;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Keeps the newest {@code limit} verified backups ("LimitBased" in gardener's etcd-backup-restore). */
final class CountRetention extends RetentionPolicy {

    private final int limit;

    CountRetention(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a count retention must keep at least 1 backup, not " + limit);
        }
        this.limit = limit;
    }

    @Override
    protected Set<RetainedBackup> keep(List<RetainedBackup> newestFirst, Instant now) {
        return new LinkedHashSet<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
    }

    @Override
    public String toString() {
        return "count(" + limit + ")";
    }
}
