package dev.cpr.contracts.changelog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The operations that replay one original revision of a change log as ONE etcd transaction, in the order etcd applied
 * them (so the replayed key-value entries get the same sub-revisions, and a keyspace hash can match the source's).
 * Shared by restore-service's replay into a restored cluster and backup-service's replay drill into a scratch etcd:
 * the rule of what one revision becomes lives here once, the etcd client calls stay in each service's adapter.
 *
 * @param revision the original revision
 * @param ops      puts and deletes in order, or a single {@link DeleteRange}
 */
public record RevisionTransaction(long revision, List<Op> ops) {

    /** etcd's default {@code --max-txn-ops}: a revision with more changes needs one range delete to fit. */
    public static final int MAX_TXN_OPS = 128;

    public RevisionTransaction {
        ops = List.copyOf(ops);
    }

    /** One operation of the transaction. */
    public sealed interface Op permits Put, Delete, DeleteRange {
    }

    /** A put; {@code leaseId} is the source's lease (0: none), which a replay may keep or drop. */
    public record Put(byte[] key, byte[] value, long leaseId) implements Op {
    }

    /** A delete of one key. */
    public record Delete(byte[] key) implements Op {
    }

    /**
     * One range delete standing for a revision with more deletes than a transaction may hold (it came from one
     * {@code del --prefix}): {@code from} to {@code end} (exclusive: the key right after the last one). It is right only
     * when the replayed cluster holds exactly {@code keys} in that range; the adapter checks that before sending it.
     */
    public record DeleteRange(byte[] from, byte[] end, Set<String> keys) implements Op {

        /** A key as the ISO-8859-1 string {@link #keys()} holds it in (every byte one char). */
        public static String keyOf(byte[] key) {
            return new String(key, StandardCharsets.ISO_8859_1);
        }
    }

    /** A revision that cannot be replayed as one transaction (its changes say so, whatever the cluster holds). */
    public static final class NotReplayable extends RuntimeException {
        private final long revision;

        public NotReplayable(long revision, String message) {
            super(message);
            this.revision = revision;
        }

        /** The original revision that cannot be replayed. */
        public long revision() {
            return revision;
        }
    }

    /**
     * The transaction of one original revision.
     *
     * @param changes the revision's changes, in the order the watch delivered them
     * @throws NotReplayable when it holds more than {@link #MAX_TXN_OPS} changes and not only deletes
     */
    public static RevisionTransaction of(long revision, List<Change> changes) {
        if (changes.isEmpty()) {
            throw new NotReplayable(revision, "original revision " + revision + " holds no change");
        }
        for (Change change : changes) {
            if (change.revision() != revision) {
                throw new NotReplayable(revision, "a change of revision " + change.revision() + " among those of revision "
                        + revision);
            }
        }
        if (changes.size() > MAX_TXN_OPS) {
            return new RevisionTransaction(revision, List.of(rangeDelete(revision, changes)));
        }
        List<Op> ops = new ArrayList<>(changes.size());
        for (Change change : changes) {
            ops.add(change.type() == Change.Type.PUT ? new Put(change.key(), change.value(), change.leaseId())
                    : new Delete(change.key()));
        }
        return new RevisionTransaction(revision, ops);
    }

    private static DeleteRange rangeDelete(long revision, List<Change> changes) {
        if (changes.stream().anyMatch(c -> c.type() != Change.Type.DELETE)) {
            throw new NotReplayable(revision, "original revision " + revision + " changed " + changes.size()
                    + " keys with puts among them: more than etcd's " + MAX_TXN_OPS + " operations per transaction, "
                    + "and not one range delete; it cannot be replayed as one transaction");
        }
        Comparator<byte[]> unsigned = Arrays::compareUnsigned;
        byte[] first = changes.stream().map(Change::key).min(unsigned).orElseThrow();
        byte[] last = changes.stream().map(Change::key).max(unsigned).orElseThrow();
        Set<String> keys = new LinkedHashSet<>();
        changes.forEach(c -> keys.add(DeleteRange.keyOf(c.key())));
        return new DeleteRange(first, Arrays.copyOf(last, last.length + 1), Set.copyOf(keys));
    }

    /**
     * The original revisions of these changes (in revision order, several changes per revision possible) as
     * transactions, in order.
     */
    public static List<RevisionTransaction> group(List<Change> changes) {
        List<RevisionTransaction> transactions = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= changes.size(); i++) {
            if (i == changes.size() || changes.get(i).revision() != changes.get(start).revision()) {
                transactions.add(of(changes.get(start).revision(), changes.subList(start, i)));
                start = i;
            }
        }
        return transactions;
    }

    /** How many puts carry a source lease. */
    public long leasedPuts() {
        return ops.stream().filter(op -> op instanceof Put p && p.leaseId() != 0).count();
    }
}
