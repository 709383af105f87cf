package dev.cpr.backup.adapters.etcd;

import dev.cpr.backup.app.ChainReplay;
import dev.cpr.contracts.changelog.RevisionTransaction;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.maintenance.HashKVResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@link ChainReplay} in the restore drill's scratch etcd ({@link SnapshotVerifier}): the snapshot is restored and
 * counted as by a snapshot drill, then each original revision becomes one transaction whose answer must be the next
 * revision, and at the end the scratch etcd's {@code HashKV} at the chain's last revision is compared with the source
 * cluster's at the same revision.
 *
 * <p>Like with like: {@code HashKV} hashes every stored key revision up to the revision asked, and what a compaction
 * left below its compact revision, and each entry's lease id. So the scratch etcd is compacted to the source's compact
 * revision first (the restored snapshot carries the older one it was taken with), and a put the source made under a
 * lease is replayed under a lease of the same id (granted in the scratch etcd with a long TTL, or the one the snapshot
 * restored), where restore-service's replay drops the lease. A source that compacted past the revision cannot be
 * compared: the outcome says only the revision and the segments' digests were checked.
 *
 * <p>An older chain ({@link ChainReplay.Request#next()}) is compared with the next verified snapshot instead, restored
 * into a second scratch etcd that stays up during the replay: the same compaction rule (the replay's scratch etcd is
 * compacted to the next snapshot's compact revision) and the same narrowing, its hashes asked at the segments' ends.
 *
 * <p>A differing hash is narrowed to the first segment whose end revision hashes differently (hashes at a revision
 * cover every revision before it, so once different they stay different): that segment is the one at fault.
 */
@ApplicationScoped
public class ScratchChainReplayer implements ChainReplay {

    private static final Logger LOG = Logger.getLogger(ScratchChainReplayer.class);
    /** Each call to the scratch etcd or the source; a replay is many short calls. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Leases granted in the scratch etcd outlive any drill, so none expires and deletes keys mid-replay. */
    private static final long LEASE_TTL_SECONDS = 24 * 3600;

    private final SnapshotVerifier verifier;
    private final Clock clock;

    public ScratchChainReplayer(SnapshotVerifier verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    @Override
    public Outcome replay(Request request) {
        Instant start = clock.instant();
        ChainReplay.NextSnapshot next = request.next();
        if (next == null) {
            return replayAgainst(request, () -> new Source(request.cluster()), start);
        }
        // the next snapshot stays up in its own scratch etcd while the chain is replayed: the hashes at the segments'
        // ends are asked of it as they are asked of the source for the newest chain
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        var reference = verifier.drill(request.label() + ", the next snapshot " + next.backupId(), next.location(),
                next.compression(), next.expected(), request.cluster(),
                url -> outcome.set(replayAgainst(request, () -> new NextSnapshotHashes(next, url), start)));
        if (outcome.get() == null) {
            return Outcome.inconclusive("the next snapshot " + next.backupId() + " at revision " + next.revision()
                    + " did not come up in a scratch etcd (" + reference.verdict() + ": " + reference.detail()
                    + "): nothing replayed", since(start));
        }
        return outcome.get();
    }

    private Outcome replayAgainst(Request request, Supplier<HashSource> hashes, Instant start) {
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        var restored = verifier.drill(request.label(), request.snapshotLocation(), request.compression(),
                request.expected(), request.cluster(), url -> outcome.set(inScratch(request, url, hashes, start)));
        if (outcome.get() == null) {
            return Outcome.inconclusive("the snapshot at revision " + request.snapshotRevision() + " did not come up "
                    + "in a scratch etcd (" + restored.verdict() + ": " + restored.detail() + "): nothing replayed",
                    since(start));
        }
        return outcome.get();
    }

    private Outcome inScratch(Request request, String clientUrl, Supplier<HashSource> hashes,
            Instant start) {
        URI uri = URI.create(clientUrl);
        ManagedChannel channel = ManagedChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
        try (Client scratch = EtcdClients.forEndpoint(clientUrl, Duration.ofSeconds(1))) {
            Outcome replayed = replayAll(request, scratch, channel, start);
            if (replayed != null) {
                return replayed;
            }
            return compareHashes(request, scratch, clientUrl, hashes, start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.inconclusive("interrupted", since(start));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return Outcome.inconclusive("the scratch etcd failed during the replay: " + e, since(start));
        } finally {
            channel.shutdownNow();
        }
    }

    /** Null when every transaction landed at its revision, else the outcome that stopped it. */
    private Outcome replayAll(Request request, Client scratch, ManagedChannel channel, Instant start)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<Long> leases = new HashSet<>();
        long expected = request.snapshotRevision();
        for (RevisionTransaction transaction : request.transactions()) {
            expected++;
            grantLeases(channel, transaction, leases);
            TxnResponse answer;
            try {
                answer = await(scratch.getKVClient().txn().Then(ops(transaction).toArray(Op[]::new)).commit());
            } catch (ExecutionException e) {
                if (refused(e.getCause())) {
                    return fault(transaction.revision(), transaction.revision(), expected - 1, "the scratch etcd "
                            + "refused the transaction of original revision " + transaction.revision() + ": "
                            + e.getCause().getMessage(), start);
                }
                throw e;
            }
            long at = answer.getHeader().getRevision();
            if (at < expected) {
                return fault(transaction.revision(), transaction.revision(), at, "the transaction of original "
                        + "revision " + transaction.revision() + " changed nothing in the scratch etcd (revision "
                        + at + ", not " + expected + "): its changes are not what etcd committed", start);
            }
            if (at > expected) {
                return new Outcome(Verdict.INCONCLUSIVE, 0, 0, at, false, "the scratch etcd moved to revision " + at
                        + " before original revision " + transaction.revision() + " (expected " + expected + "): a "
                        + "lease the snapshot restored expired there; nothing concluded", since(start));
            }
        }
        return null;
    }

    private Outcome compareHashes(Request request, Client scratch, String clientUrl,
            Supplier<HashSource> hashes, Instant start)
            throws InterruptedException, ExecutionException, TimeoutException {
        long last = request.lastRevision();
        long end = revision(scratch);
        if (end != last) {
            return fault(request.snapshotRevision() + 1, last, end, "the scratch etcd ended at revision " + end
                    + ", not the chain's last revision " + last, start);
        }
        HashSource source = hashes.get();
        try {
            Optional<HashKVResponse> sourceHash = source.hash(last);
            if (sourceHash.isEmpty()) {
                return matched(end, false, "revision " + end + " exact after " + request.transactions().size()
                        + " transactions; the keyspace hash was not compared (" + source.why() + "): only the revision "
                        + "and the segments' digests were checked", start);
            }
            long compacted = sourceHash.get().getCompacted();
            HashKVResponse scratchHash = await(scratch.getMaintenanceClient().hashKV(clientUrl, last));
            if (scratchHash.getCompacted() < compacted) {
                await(scratch.getKVClient().compact(compacted, CompactOption.newBuilder().withCompactPhysical(true)
                        .build()));
                scratchHash = await(scratch.getMaintenanceClient().hashKV(clientUrl, last));
            }
            if (scratchHash.getCompacted() != compacted) {
                return matched(end, false, "revision " + end + " exact; the keyspace hash was not compared: the "
                        + "snapshot was compacted at " + scratchHash.getCompacted() + ", " + source.name() + " at "
                        + compacted, start);
            }
            if (scratchHash.getHash() == sourceHash.get().getHash()) {
                return matched(end, true, "revision " + end + " exact after " + request.transactions().size()
                        + " transactions, keyspace hash " + Integer.toUnsignedString(scratchHash.getHash())
                        + " at " + last + " equal to " + source.name() + " (" + compaction(compacted) + ")", start);
            }
            return narrow(request, scratch, clientUrl, source, compacted, scratchHash.getHash(),
                    sourceHash.get().getHash(), start);
        } finally {
            source.close();
        }
    }

    /** The first segment end whose hashes differ: the fault lies after the end before it, up to that one. */
    private Outcome narrow(Request request, Client scratch, String clientUrl, HashSource source, long compacted,
            int scratchHash, int sourceHash, Instant start)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Long> ends = new ArrayList<>(request.segmentEnds().stream().filter(e -> e > compacted
                && e > request.snapshotRevision() && e <= request.lastRevision()).toList());
        long from = request.snapshotRevision() + 1;
        long to = request.lastRevision();
        int lo = 0;
        int hi = ends.size() - 1; // the last end differs already
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            Optional<HashKVResponse> theirs = source.hash(ends.get(mid));
            if (theirs.isEmpty()) {
                break;
            }
            boolean differs = await(scratch.getMaintenanceClient().hashKV(clientUrl, ends.get(mid))).getHash()
                    != theirs.get().getHash();
            if (differs) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if (!ends.isEmpty()) {
            to = ends.get(lo);
            from = lo == 0 ? from : ends.get(lo - 1) + 1;
        }
        return fault(from, to, request.lastRevision(), "the keyspace replayed to revision " + request.lastRevision()
                + " hashes " + Integer.toUnsignedString(scratchHash) + ", " + source.name() + " "
                + Integer.toUnsignedString(
                        sourceHash) + " at the same revision (" + compaction(compacted) + "); it first differs "
                + "at revision " + to + ": the changes of revisions " + from + ".." + to + " are not what etcd "
                + "committed", start);
    }

    private static String compaction(long compacted) {
        return compacted > 0 ? "both compacted at " + compacted : "neither compacted";
    }

    private static List<Op> ops(RevisionTransaction transaction) {
        List<Op> ops = new ArrayList<>(transaction.ops().size());
        for (RevisionTransaction.Op op : transaction.ops()) {
            if (op instanceof RevisionTransaction.Put put) {
                ops.add(Op.put(ByteSequence.from(put.key()), ByteSequence.from(put.value()), put.leaseId() == 0
                        ? PutOption.DEFAULT : PutOption.builder().withLeaseId(put.leaseId()).build()));
            } else if (op instanceof RevisionTransaction.Delete delete) {
                ops.add(Op.delete(ByteSequence.from(delete.key()), DeleteOption.DEFAULT));
            } else {
                // the scratch etcd holds what the snapshot and the replay left: a range holding other keys than the
                // change log deleted shows as another hash (restore-service checks the range before, on a real one)
                RevisionTransaction.DeleteRange range = (RevisionTransaction.DeleteRange) op;
                ops.add(Op.delete(ByteSequence.from(range.from()),
                        DeleteOption.builder().withRange(ByteSequence.from(range.end())).build()));
            }
        }
        return ops;
    }

    /** The source's leases by id in the scratch etcd; one the snapshot restored is there already. */
    private static void grantLeases(ManagedChannel channel, RevisionTransaction transaction, Set<Long> granted) {
        for (RevisionTransaction.Op op : transaction.ops()) {
            if (op instanceof RevisionTransaction.Put put && put.leaseId() != 0 && granted.add(put.leaseId())) {
                try {
                    LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .leaseGrant(LeaseGrantRequest.newBuilder().setID(put.leaseId()).setTTL(LEASE_TTL_SECONDS)
                                    .build());
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
                        throw e;
                    }
                    // "lease already exists": the snapshot restored it
                }
            }
        }
    }

    /**
     * Whether etcd answered that it will not apply the transaction (too many operations, too large, no such lease):
     * the transaction's fault, where an unreachable or slow scratch etcd is not.
     */
    private static boolean refused(Throwable cause) {
        String code = cause instanceof EtcdException etcd ? etcd.getErrorCode().name()
                : Status.fromThrowable(cause).getCode().name();
        return List.of("INVALID_ARGUMENT", "FAILED_PRECONDITION", "NOT_FOUND", "OUT_OF_RANGE").contains(code);
    }

    private static long revision(Client client) throws InterruptedException, ExecutionException, TimeoutException {
        ByteSequence zero = ByteSequence.from(new byte[] {0});
        return await(client.getKVClient().get(zero, GetOption.builder().withRange(zero).withCountOnly(true).build()))
                .getHeader().getRevision();
    }

    private Outcome fault(long from, long to, long endRevision, String detail, Instant start) {
        return new Outcome(Verdict.FAULT, from, to, endRevision, false, detail, since(start));
    }

    private Outcome matched(long endRevision, boolean hashChecked, String detail, Instant start) {
        return new Outcome(Verdict.MATCHED, 0, 0, endRevision, hashChecked, detail, since(start));
    }

    private static <T> T await(CompletableFuture<T> call)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return call.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw e;
        }
    }

    private Duration since(Instant start) {
        return Duration.between(start, clock.instant());
    }

    /** Where the replayed keyspace's hashes are compared: the source cluster, or the next snapshot restored. */
    private interface HashSource {
        /** Its HashKV at a revision; empty when it cannot answer (compacted past it, unreachable): see {@link #why}. */
        Optional<HashKVResponse> hash(long revision) throws InterruptedException;

        String why();

        /** Whose hash it is, in the outcome's words: "the source's", "the next snapshot ...'s". */
        String name();

        void close();
    }

    /** The next verified snapshot in its own scratch etcd (plain, on loopback, as the replay's). */
    private static final class NextSnapshotHashes implements HashSource {
        private final ChainReplay.NextSnapshot next;
        private final String url;
        private final Client client;
        private String why = "the next snapshot's scratch etcd did not answer";

        NextSnapshotHashes(ChainReplay.NextSnapshot next, String url) {
            this.next = next;
            this.url = url;
            this.client = EtcdClients.forEndpoint(url, Duration.ofSeconds(1));
        }

        @Override
        public Optional<HashKVResponse> hash(long revision) throws InterruptedException {
            try {
                return Optional.of(await(client.getMaintenanceClient().hashKV(url, revision)));
            } catch (ExecutionException | TimeoutException e) {
                why = "the next snapshot " + next.backupId() + " answered no HashKV at " + revision + ": "
                        + (e.getCause() == null ? e : e.getCause().getMessage());
                return Optional.empty();
            }
        }

        @Override
        public String why() {
            return why;
        }

        @Override
        public String name() {
            return "the next snapshot's (" + next.backupId() + " at " + next.revision() + ")";
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** The source cluster's HashKV, from the first member that answers; why not, when none does. */
    private static final class Source implements HashSource {
        private final ClusterSpec cluster;
        private Client client;
        private MemberSpec member;
        private String why = "no member answered";

        Source(ClusterSpec cluster) {
            this.cluster = cluster;
        }

        @Override
        public String why() {
            return why;
        }

        @Override
        public String name() {
            return "the source's";
        }

        @Override
        public Optional<HashKVResponse> hash(long revision) throws InterruptedException {
            List<MemberSpec> members = member == null ? cluster.members() : List.of(member);
            for (MemberSpec candidate : members) {
                Client c = client != null && candidate == member ? client
                        : EtcdClients.forMember(cluster, candidate, Duration.ofSeconds(2));
                try {
                    HashKVResponse answer = await(c.getMaintenanceClient().hashKV(candidate.clientUrl(), revision));
                    client = c;
                    member = candidate;
                    return Optional.of(answer);
                } catch (ExecutionException e) {
                    String message = String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
                    why = message.contains("compacted") ? "the source has compacted past revision " + revision
                            + " (" + message + ")" : candidate.name() + " answered " + message;
                    LOG.debugf("cluster %s: HashKV at %d from %s: %s", cluster.id(), revision, candidate.name(),
                            message);
                    if (message.contains("compacted")) {
                        if (c != client) {
                            c.close();
                        }
                        return Optional.empty();
                    }
                } catch (TimeoutException e) {
                    why = candidate.name() + " did not answer HashKV within " + CALL_TIMEOUT;
                }
                if (c != client) {
                    c.close();
                }
            }
            return Optional.empty();
        }

        @Override
        public void close() {
            if (client != null) {
                client.close();
            }
        }
    }
}
