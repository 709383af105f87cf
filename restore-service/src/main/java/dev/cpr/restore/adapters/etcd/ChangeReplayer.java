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

    @Override
    public List<String> differences(ClusterSpec cluster, List<Change> expected) {
        Client client = client(cluster);
        List<String> differences = new ArrayList<>();
        for (Change change : expected) {
            GetResponse answer = await("get " + change.keyText(), client.getKVClient()
                    .get(ByteSequence.from(change.key())), callTimeout);
            boolean present = !answer.getKvs().isEmpty();
            if (change.type() == Change.Type.DELETE && present) {
                differences.add(change.keyText() + " is present, deleted at revision " + change.revision());
            } else if (change.type() == Change.Type.PUT && !present) {
                differences.add(change.keyText() + " is missing, put at revision " + change.revision());
            } else if (change.type() == Change.Type.PUT
                    && !Arrays.equals(answer.getKvs().get(0).getValue().getBytes(), change.value())) {
                differences.add(change.keyText() + " holds another value than revision " + change.revision() + " put");
            }
        }
        return differences;
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
