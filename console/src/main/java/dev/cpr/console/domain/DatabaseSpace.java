package dev.cpr.console.domain;

import java.util.Locale;

/**
 * A member's database against its cluster's quota, e.g. {@code db 12.3 MiB of 2 GiB (0.6 %), 8.1 MiB in use}. The
 * share is of the file's size, which is what etcd compares with {@code --quota-backend-bytes} before it raises
 * NOSPACE; the part in use says how much a defragmentation would give back.
 */
public final class DatabaseSpace {

    private DatabaseSpace() {
    }

    /** The line for one member; {@code -} when its size is not known (it did not answer its status call). */
    public static String describe(Long dbSize, Long dbSizeInUse, Long quotaBytes) {
        if (dbSize == null) {
            return "-";
        }
        StringBuilder line = new StringBuilder("db ").append(Sizes.human(dbSize));
        if (quotaBytes != null && quotaBytes > 0) {
            line.append(" of ").append(Sizes.human(quotaBytes)).append(" (")
                    .append(String.format(Locale.ROOT, "%.1f", 100.0 * dbSize / quotaBytes)).append(" %)");
        }
        if (dbSizeInUse != null && dbSizeInUse < dbSize) {
            line.append(", ").append(Sizes.human(dbSizeInUse)).append(" in use");
        }
        return line.toString();
    }
}
