package dev.cpr.restore.domain.pointintime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A cluster's change log as backup-service serves it: the stored segments of a revision range, one segment's stored
 * bytes, and the revision at a moment. Blocking; call it on a worker thread.
 */
public interface ChangeLogSource {

    /**
     * The stored segments holding a revision after {@code after} up to {@code upTo} (inclusive), in revision order.
     * The caller checks the chain's continuity ({@link ReplayPlan#of}).
     *
     * @throws ChangeLogUnavailable naming the cluster and the call when the change log cannot be read
     */
    List<ReplayPlan.SegmentRef> segments(String clusterId, long after, long upTo);

    /**
     * One segment's stored bytes, as the listing's sha256 covers them.
     *
     * @param id the segment's id (its first revision)
     * @throws ChangeLogUnavailable naming the cluster and the segment when they cannot be read
     */
    byte[] segment(String clusterId, long id);

    /**
     * The newest revision whose change the log saw at or before {@code time}; empty when none was recorded by then.
     *
     * @throws ChangeLogUnavailable naming the cluster when the change log cannot be asked
     */
    Optional<RevisionAt> revisionAt(String clusterId, Instant time);

    /** A revision and when its change was seen. */
    record RevisionAt(long revision, Instant changedAt) {
    }

    /** backup-service could not answer (not configured, unreachable, an error status). */
    class ChangeLogUnavailable extends RuntimeException {
        public ChangeLogUnavailable(String message) {
            super(message);
        }

        public ChangeLogUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
