package dev.cpr.backup.app;

import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.contracts.changelog.RevisionTransaction;
import dev.cpr.contracts.inventory.ClusterSpec;
import java.time.Duration;
import java.util.List;

/**
 * The replay half of a chain drill: the snapshot a chain starts from is restored into a scratch etcd, the chain's
 * revisions are replayed there one transaction per original revision ({@link RevisionTransaction}), and the scratch
 * etcd must end at exactly the chain's last revision with the keyspace hash the source cluster has at that revision,
 * or, for an older chain ({@link Request#next()}), the hash of the next verified snapshot restored into a second scratch
 * etcd: replaying a snapshot and its changes up to the next snapshot's revision must give exactly that snapshot's
 * keyspace, and the source has usually compacted that revision away. Blocking; the scratch etcds are always stopped and
 * deleted.
 */
public interface ChainReplay {

    /**
     * @param label            names the cluster and snapshot in logs
     * @param snapshotRevision the snapshot's revision: the scratch etcd starts there
     * @param lastRevision     the chain's last revision as the read-back found it: the scratch etcd must end there
     * @param transactions     the chain's revisions after the snapshot, in order, back to back
     * @param segmentEnds      the last revision of each replayed segment, in order: where a differing hash is looked
     *                         for, to name the first segment whose replay leaves another keyspace than the source's
     * @param next             the next verified snapshot the hashes are compared with (its revision is
     *                         {@code lastRevision}); null: the source cluster's hashes (the newest chain)
     */
    record Request(ClusterSpec cluster, String label, String snapshotLocation, Compression compression,
            DrillExpectation expected, long snapshotRevision, long lastRevision,
            List<RevisionTransaction> transactions, List<Long> segmentEnds, NextSnapshot next) {

        public Request {
            transactions = List.copyOf(transactions);
            segmentEnds = List.copyOf(segmentEnds);
            if (next != null && next.revision() != lastRevision) {
                throw new IllegalArgumentException("an older chain ends at its next snapshot's revision "
                        + next.revision() + ", not at " + lastRevision);
            }
        }

        /** The newest chain: compared with the source cluster. */
        public Request(ClusterSpec cluster, String label, String snapshotLocation, Compression compression,
                DrillExpectation expected, long snapshotRevision, long lastRevision,
                List<RevisionTransaction> transactions, List<Long> segmentEnds) {
            this(cluster, label, snapshotLocation, compression, expected, snapshotRevision, lastRevision,
                    transactions, segmentEnds, null);
        }
    }

    /** The verified snapshot after an older chain, whose restored keyspace the chain's replay must reproduce. */
    record NextSnapshot(String backupId, String location, Compression compression, DrillExpectation expected,
            long revision) {
    }

    enum Verdict {
        /** the revision is exact and, where the source still holds it, the keyspace hash is the source's */
        MATCHED,
        /** the chain's changes are not what etcd committed (a transaction refused or empty, another revision or hash) */
        FAULT,
        /** the replay could not conclude for reasons that are not the chain's (the snapshot, the scratch etcd) */
        INCONCLUSIVE
    }

    /**
     * What a replay concluded.
     *
     * @param faultFrom   with {@link Verdict#FAULT}: the first original revision the fault may lie in
     * @param faultTo     with {@link Verdict#FAULT}: the last one (the same for a refused transaction)
     * @param endRevision the scratch etcd's revision when the replay ended
     * @param hashChecked whether the keyspace hash was compared with the source's or the next snapshot's (false: the
     *                    source has compacted past the revision or did not answer; only the revision and the segments'
     *                    digests were checked)
     */
    record Outcome(Verdict verdict, long faultFrom, long faultTo, long endRevision, boolean hashChecked,
            String detail, Duration took) {

        public static Outcome inconclusive(String detail, Duration took) {
            return new Outcome(Verdict.INCONCLUSIVE, 0, 0, 0, false, detail, took);
        }
    }

    Outcome replay(Request request);
}
