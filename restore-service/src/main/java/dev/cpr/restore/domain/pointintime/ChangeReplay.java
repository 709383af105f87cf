package dev.cpr.restore.domain.pointintime;

import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.inventory.ClusterSpec;
import java.util.List;

/**
 * Writes a change log's revisions into a restored cluster, one etcd transaction per original revision, in order.
 * Blocking; run it on a worker thread.
 */
public interface ChangeReplay {

    /**
     * Applies {@code revisions} to the cluster, which must be at {@code startRevision} before the first of them (the
     * restored snapshot's revision, or that plus the bump etcd 3.5 restored it with). A cluster found at
     * {@code startRevision + k} (a replay stopped after k transactions) goes on after the k-th; any other revision
     * is refused, because something else wrote to the cluster and a replay would no longer end where the source was.
     *
     * @throws ReplayFailed naming the original revision and what etcd answered
     */
    Replayed replay(ClusterSpec cluster, long startRevision, List<ReplayPlan.Revision> revisions);

    /**
     * Reads back each key of {@code expected} (the last change of every replayed key) and names those whose value
     * or presence differs; empty when the cluster holds exactly what the changes left.
     */
    List<String> differences(ClusterSpec cluster, List<Change> expected);

    /**
     * What a replay did.
     *
     * @param resumedAfter     transactions found applied already (0 for a fresh replay)
     * @param applied          transactions applied now
     * @param changes          key changes in them
     * @param leaseDetached    keys the source had attached to a lease, put without one (the source's leases do not
     *                         exist in the restored cluster; their holders attach new ones)
     * @param endRevision      the cluster's revision after the last transaction
     */
    record Replayed(long resumedAfter, long applied, long changes, long leaseDetached, long endRevision) {
    }

    /** etcd refused a transaction, or the cluster's revision is not where the replay needs it. */
    class ReplayFailed extends RuntimeException {
        public ReplayFailed(String message) {
            super(message);
        }

        public ReplayFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
