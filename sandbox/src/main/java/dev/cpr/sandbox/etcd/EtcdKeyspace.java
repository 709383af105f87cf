package dev.cpr.sandbox.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** What tests and scenarios read and write in a cluster's keyspace: bulk keys, the count, revision and version. */
final class EtcdKeyspace {

    private static final int PUT_BATCH = 100;
    private static final int PUT_IN_FLIGHT = 8;

    private final ClusterSpec spec;
    private final String clusterId;
    private final Supplier<Client> client;

    EtcdKeyspace(ClusterSpec spec, Supplier<Client> client) {
        this.spec = spec;
        this.clusterId = spec.id();
        this.client = client;
    }

    /**
     * Puts {@code count} keys {@code <prefix>000000 ...} with values of about 100 bytes, in transactions of
     * 100 puts with several in flight (10,000 keys take a second or two on loopback).
     *
     * @return the number of keys written
     */
    int putKeys(String prefix, int count) {
        String padding = "x".repeat(80);
        List<CompletableFuture<TxnResponse>> inFlight = new ArrayList<>();
        try {
            for (int start = 0; start < count; start += PUT_BATCH) {
                int end = Math.min(count, start + PUT_BATCH);
                Op[] puts = new Op[end - start];
                for (int i = start; i < end; i++) {
                    puts[i - start] = Op.put(bytes(prefix + String.format("%06d", i)),
                            bytes("value-" + String.format("%06d", i) + "-" + padding), PutOption.DEFAULT);
                }
                inFlight.add(client.get().getKVClient().txn().Then(puts).commit());
                if (inFlight.size() >= PUT_IN_FLIGHT) {
                    inFlight.remove(0).get(30, TimeUnit.SECONDS);
                }
            }
            for (CompletableFuture<TxnResponse> pending : inFlight) {
                pending.get(30, TimeUnit.SECONDS);
            }
            return count;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while putting keys", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot put " + count + " keys under '" + prefix + "' into etcd cluster '"
                    + clusterId + "': " + e.getMessage(), e);
        }
    }

    /** How many keys the whole keyspace holds (a count-only range over everything). */
    long countKeys() {
        ByteSequence zero = ByteSequence.from(new byte[] {0});
        try {
            return client.get().getKVClient()
                    .get(zero, GetOption.builder().withRange(zero).withCountOnly(true).build())
                    .get(10, TimeUnit.SECONDS)
                    .getCount();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting keys", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot count keys in etcd cluster '" + clusterId + "': " + e.getMessage(), e);
        }
    }

    /** The cluster's current revision (the header of a count-only range). */
    long revision() {
        ByteSequence zero = ByteSequence.from(new byte[] {0});
        try {
            return client.get().getKVClient()
                    .get(zero, GetOption.builder().withRange(zero).withCountOnly(true).build())
                    .get(10, TimeUnit.SECONDS)
                    .getHeader().getRevision();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the revision", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the revision of etcd cluster '" + clusterId + "': "
                    + e.getMessage(), e);
        }
    }

    /** The etcd release the first member reports in its status ({@code 3.5.16}). */
    String version() {
        String first = spec.members().get(0).clientUrl();
        try {
            return client.get().getMaintenanceClient().statusMember(first).get(10, TimeUnit.SECONDS).getVersion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the etcd version", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the status of " + first + " (etcd cluster '" + clusterId + "'): "
                    + e.getMessage(), e);
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
