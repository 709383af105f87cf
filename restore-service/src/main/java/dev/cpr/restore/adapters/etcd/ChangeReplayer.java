package dev.cpr.restore.adapters.etcd;

import static dev.cpr.restore.adapters.etcd.JetcdCalls.await;

import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.RevisionTransaction;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.etcd.EtcdAdmin.EtcdAdminException;
import dev.cpr.restore.domain.pointintime.ChangeReplay;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@link ChangeReplay} over jetcd: each original revision is one transaction of puts and deletes, and its answer's
 * revision must be the next one, so a replay from a snapshot restored at {@code s} ends at exactly the target and
 * anything that moved the revision in between (another writer, a restored lease expiring and deleting its keys:
 * gardener's issue 1046) stops it at once, named. Keys the source held under a lease are put without it: the lease
 * ids of the source mean nothing in the restored cluster.
 */
@ApplicationScoped
public class ChangeReplayer implements ChangeReplay {

    private static final Logger LOG = Logger.getLogger(ChangeReplayer.class);

    /** etcd's default {@code --max-txn-ops}: a revision with more changes needs one range delete to fit. */
    static final int MAX_TXN_OPS = RevisionTransaction.MAX_TXN_OPS;

    /** The expected bytes (keys and values) one read-back transaction asks for at most. */
    static final long READ_BATCH_BYTES = 2L * 1024 * 1024;

    private final MemberConnections connections;
    private final Duration callTimeout;

    @Inject
    public ChangeReplayer(RestoreConfig config, Inventory inventory) {
        this(inventory, config.etcd().callTimeout());
    }

    public ChangeReplayer(Inventory inventory, Duration callTimeout) {
        this.connections = new MemberConnections(inventory);
        this.callTimeout = callTimeout;
    }

    @Override
    public Replayed replay(ClusterSpec cluster, long startRevision, List<ReplayPlan.Revision> revisions) {
        Client client = client(cluster);
        long now = revision(client, cluster);
        long done = now - startRevision;
        if (done < 0 || done > revisions.size()) {
            throw new ReplayFailed(cluster.id() + " is at revision " + now + ", not in " + startRevision + ".."
                    + (startRevision + revisions.size()) + " where this replay starts or stopped: something else "
                    + "wrote to it, so replaying would not end where the source was; nothing was replayed");
        }
        if (done > 0) {
            LOG.infof("cluster %s: %d of %d revisions were replayed already (revision %d); going on", cluster.id(),
                    done, revisions.size(), now);
        }
        long changes = 0;
        long leaseDetached = 0;
        long expected = now;
        for (ReplayPlan.Revision revision : revisions.subList((int) done, revisions.size())) {
            expected++;
            TxnResponse answer = await("the transaction of original revision " + revision.revision(),
                    client.getKVClient().txn().Then(ops(client, cluster, revision).toArray(Op[]::new)).commit(),
                    callTimeout);
            long at = answer.getHeader().getRevision();
            if (at != expected) {
                throw new ReplayFailed("original revision " + revision.revision() + " was applied at revision " + at
                        + ", not " + expected + ": " + (at == expected - 1 ? "it changed nothing (its keys were "
                        + "already as it leaves them: a lease expiring in the restored cluster deletes keys itself)"
                        : "another writer moved the revision") + "; the replay stopped there");
            }
            changes += revision.changes().size();
            leaseDetached += revision.changes().stream()
                    .filter(c -> c.type() == Change.Type.PUT && c.leaseId() != 0).count();
        }
        return new Replayed(done, revisions.size() - done, changes, leaseDetached, expected);
    }

    /**
     * Reads the keys back in transactions of gets ({@link #readBatches}): one round trip per batch instead of one per
     * key, and each batch read at one revision. At etcd-backup-restore's size (about 100,000 keys replayed) a get per
     * key took 143 s.
     */
    @Override
    public List<String> differences(ClusterSpec cluster, List<Change> expected) {
        Client client = client(cluster);
        List<String> differences = new ArrayList<>();
        for (List<Change> batch : readBatches(expected)) {
            TxnResponse answer = await("a read-back of " + batch.size() + " keys from " + batch.get(0).keyText(),
                    client.getKVClient().txn().Then(batch.stream()
                            .map(change -> Op.get(ByteSequence.from(change.key()), GetOption.DEFAULT))
                            .toArray(Op[]::new)).commit(), callTimeout);
            List<GetResponse> answers = answer.getGetResponses();
            for (int i = 0; i < batch.size(); i++) {
                String difference = difference(batch.get(i), answers.get(i));
                if (difference != null) {
                    differences.add(difference);
                }
            }
        }
        return differences;
    }

    /**
     * The changes in batches of at most {@link #MAX_TXN_OPS} (what one transaction may hold) and about
     * {@link #READ_BATCH_BYTES} of expected keys and values (the answer stays well under gRPC's 4 MiB message limit; a
     * single larger value, up to etcd's 1.5 MiB request limit, is read alone), in their order.
     */
    static List<List<Change>> readBatches(List<Change> expected) {
        List<List<Change>> batches = new ArrayList<>();
        List<Change> batch = new ArrayList<>();
        long bytes = 0;
        for (Change change : expected) {
            long size = change.key().length + (change.value() == null ? 0 : change.value().length);
            if (!batch.isEmpty() && (batch.size() == MAX_TXN_OPS || bytes + size > READ_BATCH_BYTES)) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(change);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /** How the key reads back against the change the source made last to it; null when it reads as the source left it. */
    private static String difference(Change change, GetResponse answer) {
        boolean present = !answer.getKvs().isEmpty();
        if (change.type() == Change.Type.DELETE && present) {
            return change.keyText() + " is present, deleted at revision " + change.revision();
        }
        if (change.type() == Change.Type.PUT && !present) {
            return change.keyText() + " is missing, put at revision " + change.revision();
        }
        if (change.type() == Change.Type.PUT
                && !Arrays.equals(answer.getKvs().get(0).getValue().getBytes(), change.value())) {
            return change.keyText() + " holds another value than revision " + change.revision() + " put";
        }
        return null;
    }

    /** The revision's transaction ({@link RevisionTransaction}: the rule shared with backup-service's replay drill). */
    private List<Op> ops(Client client, ClusterSpec cluster, ReplayPlan.Revision revision) {
        RevisionTransaction transaction;
        try {
            transaction = RevisionTransaction.of(revision.revision(), revision.changes());
        } catch (RevisionTransaction.NotReplayable e) {
            throw new ReplayFailed(e.getMessage());
        }
        List<Op> ops = new ArrayList<>(transaction.ops().size());
        for (RevisionTransaction.Op op : transaction.ops()) {
            if (op instanceof RevisionTransaction.Put put) {
                ops.add(Op.put(ByteSequence.from(put.key()), ByteSequence.from(put.value()), PutOption.DEFAULT));
            } else if (op instanceof RevisionTransaction.Delete delete) {
                ops.add(Op.delete(ByteSequence.from(delete.key()), DeleteOption.DEFAULT));
            } else {
                ops.add(rangeDelete(client, revision, (RevisionTransaction.DeleteRange) op));
            }
        }
        return ops;
    }

    /**
     * A revision with more changes than one transaction may hold came from one range delete (a {@code del --prefix}):
     * it is replayed as that range delete once the cluster is seen to hold exactly those keys in the range (so the
     * range takes nothing else with it).
     */
    private Op rangeDelete(Client client, ReplayPlan.Revision revision, RevisionTransaction.DeleteRange range) {
        GetResponse inRange = await("the keys of original revision " + revision.revision() + "'s range",
                client.getKVClient().get(ByteSequence.from(range.from()),
                        GetOption.builder().withRange(ByteSequence.from(range.end())).withKeysOnly(true).build()),
                callTimeout);
        Set<String> held = new HashSet<>();
        inRange.getKvs().forEach(kv -> held.add(RevisionTransaction.DeleteRange.keyOf(kv.getKey().getBytes())));
        if (!held.equals(range.keys())) {
            throw new ReplayFailed("original revision " + revision.revision() + " deleted " + range.keys().size()
                    + " keys, more than etcd's " + MAX_TXN_OPS + " operations per transaction, but the range "
                    + revision.changes().get(0).keyText() + ".. holds " + held.size() + " keys here, not exactly those");
        }
        return Op.delete(ByteSequence.from(range.from()),
                DeleteOption.builder().withRange(ByteSequence.from(range.end())).build());
    }

    private long revision(Client client, ClusterSpec cluster) {
        ByteSequence zero = ByteSequence.from(new byte[] {0});
        return await("the revision of " + cluster.id(), client.getKVClient()
                .get(zero, GetOption.builder().withRange(zero).withCountOnly(true).build()), callTimeout)
                .getHeader().getRevision();
    }

    /** The first member that answers: a transaction goes to the leader through it either way. */
    private Client client(ClusterSpec cluster) {
        EtcdAdminException last = null;
        for (MemberSpec member : cluster.members()) {
            try {
                Client client = connections.client(member.clientUrl());
                revision(client, cluster);
                return client;
            } catch (EtcdAdminException e) {
                last = e;
            }
        }
        throw new ReplayFailed("no member of " + cluster.id() + " answers (" + cluster.clientEndpoints() + ")", last);
    }

    @PreDestroy
    public void close() {
        connections.close();
    }
}
