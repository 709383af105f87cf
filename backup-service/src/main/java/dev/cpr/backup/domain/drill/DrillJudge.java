package dev.cpr.backup.domain.drill;

import dev.cpr.backup.domain.drill.DrillResult.Verdict;
import java.time.Duration;

/**
 * Compares what a scratch etcd restored from a snapshot holds with what the catalog recorded.
 * <ul>
 *   <li>the restored revision must lie in {@code [revision, revisionEnd]} (exactly {@code revision}
 *       when no write raced the snapshot);</li>
 *   <li>when the catalog figures are exact, the restored key count must equal the cataloged one;
 *       when a write raced the snapshot, only the revision bound can be checked, and the verdict says so.</li>
 * </ul>
 */
public final class DrillJudge {

    private DrillJudge() {
    }

    public static DrillResult judge(DrillExpectation expected, long restoredRevision, long restoredKeyCount,
            Duration duration) {
        long upper = expected.revisionEnd() != null ? expected.revisionEnd() : Long.MAX_VALUE;
        if (restoredRevision < expected.revision() || restoredRevision > upper) {
            return new DrillResult(Verdict.CORRUPT, "restored revision " + restoredRevision + " is outside the cataloged "
                    + range(expected), restoredRevision, restoredKeyCount, duration);
        }
        if (expected.exact() && restoredKeyCount != expected.keyCount()) {
            return new DrillResult(Verdict.CORRUPT, "restored " + restoredKeyCount + " keys at revision " + restoredRevision
                    + ", the catalog recorded " + expected.keyCount(), restoredRevision, restoredKeyCount, duration);
        }
        String detail = expected.exact()
                ? "restored revision " + restoredRevision + " with " + restoredKeyCount + " keys, as cataloged"
                : "restored revision " + restoredRevision + " (within " + range(expected) + ", writes raced the snapshot) with "
                        + restoredKeyCount + " keys";
        return new DrillResult(Verdict.VERIFIED, detail, restoredRevision, restoredKeyCount, duration);
    }

    private static String range(DrillExpectation expected) {
        return expected.exact() ? "revision " + expected.revision()
                : "revisions [" + expected.revision() + ", " + (expected.revisionEnd() == null ? "?" : expected.revisionEnd()) + "]";
    }
}
