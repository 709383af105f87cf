package dev.cpr.restore.domain.rehearsal;

/**
 * The rehearsal's keyspace hash: etcd's {@code HashKV} of the scratch cluster at the revision it was restored to,
 * against the real (source) cluster's at the same revision, both compacted alike. Equal means the restored keyspace
 * is, entry by entry (values, create and mod revisions, versions, leases), the one the source had at that revision.
 *
 * @param scratchHash the scratch cluster's hash (null when not compared)
 * @param sourceHash  the source cluster's hash (null when not compared)
 * @param why         why the hashes were not compared (null when they were)
 */
public record HashCheck(Outcome outcome, long revision, Long scratchHash, Long sourceHash, String why) {

    public enum Outcome {
        EQUAL,
        DIFFERENT,
        NOT_COMPARED
    }

    public static HashCheck compared(long revision, long scratchHash, long sourceHash) {
        return new HashCheck(scratchHash == sourceHash ? Outcome.EQUAL : Outcome.DIFFERENT, revision, scratchHash,
                sourceHash, null);
    }

    public static HashCheck notCompared(long revision, String why) {
        return new HashCheck(Outcome.NOT_COMPARED, revision, null, null, why);
    }

    /** The source has compacted past the revision: its keyspace there is gone. */
    public static HashCheck sourceCompacted(long revision) {
        return notCompared(revision, "source compacted past revision " + revision);
    }

    public String describe() {
        return switch (outcome) {
            case EQUAL -> "keyspace hash " + scratchHash + " at revision " + revision + " equal to the source's";
            case DIFFERENT -> "the keyspace hash at revision " + revision + " differs: the scratch cluster's "
                    + scratchHash + ", the source's " + sourceHash;
            case NOT_COMPARED -> "hash not compared: " + why;
        };
    }
}
