package dev.cpr.backup.domain.drill;

import java.time.Duration;

/**
 * The outcome of one restore drill.
 *
 * @param restoredRevision revision of the scratch etcd restored from the snapshot (null if it never answered)
 * @param restoredKeyCount live keys in the scratch etcd (null if it never answered)
 */
public record DrillResult(Verdict verdict, String detail, Long restoredRevision, Long restoredKeyCount, Duration duration) {

    public enum Verdict {
        /** Restored, started and holds what the catalog says. */
        VERIFIED,
        /** The file or its content is not what was cataloged; never offer it for restore. */
        CORRUPT,
        /** The drill itself could not run (no free port, etcd binary missing); the snapshot's state is unchanged. */
        INCONCLUSIVE
    }

    public static DrillResult corrupt(String detail, Duration duration) {
        return new DrillResult(Verdict.CORRUPT, detail, null, null, duration);
    }

    public static DrillResult inconclusive(String detail, Duration duration) {
        return new DrillResult(Verdict.INCONCLUSIVE, detail, null, null, duration);
    }
}
