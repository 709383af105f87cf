package dev.cpr.backup.adapters.etcd;

import dev.cpr.backup.app.ChangeFeed;
import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.inventory.ClusterSpec;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Response;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * etcd's watch of the whole keyspace, through a client of every member of the cluster (with its TLS material), so a
 * member lost or a leader change moves the watch to another member: jetcd resumes it after the last revision it
 * delivered. A compaction past the wanted revision ends it ({@link ChangeFeed.Listener#compacted}).
 */
@ApplicationScoped
public class JetcdChangeFeed implements ChangeFeed {

    /** {@code \0} with range end {@code \0}: every key. */
    private static final ByteSequence ALL = ByteSequence.from(new byte[] {0});
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Clock clock;

    public JetcdChangeFeed(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Watching watch(ClusterSpec cluster, long fromRevision, Listener listener) {
        Client client = EtcdClients.forCluster(cluster, CONNECT_TIMEOUT);
        try {
            WatchOption option = WatchOption.builder().withRange(ALL).withRevision(fromRevision).build();
            Watch.Watcher watcher = client.getWatchClient().watch(ALL, option, new Watch.Listener() {
                @Override
                public void onNext(WatchResponse response) {
                    List<Change> changes = changes(response, clock.instant());
                    if (!changes.isEmpty()) {
                        listener.changes(changes);
                    }
                }

                @Override
                public void onError(Throwable error) {
                    if (error instanceof CompactedException compacted) {
                        listener.compacted(compacted.getCompactedRevision());
                    } else {
                        listener.failed(error);
                    }
                }

                @Override
                public void onCompleted() {
                    listener.failed(new IllegalStateException("etcd ended the watch"));
                }
            });
            return () -> {
                watcher.close();
                client.close();
            };
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public Identity identity(ClusterSpec cluster) {
        try (Client client = EtcdClients.forCluster(cluster, CONNECT_TIMEOUT)) {
            // one key, most likely absent: only the response header is wanted
            Response.Header header = client.getKVClient().get(ALL).get(CONNECT_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS).getHeader();
            return new Identity(header.getClusterId(), header.getRevision());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking cluster " + cluster.id() + " for its identity", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cluster " + cluster.id() + " did not answer: " + e, e);
        }
    }

    static List<Change> changes(WatchResponse response, Instant seenAt) {
        List<Change> changes = new ArrayList<>(response.getEvents().size());
        for (WatchEvent event : response.getEvents()) {
            KeyValue kv = event.getKeyValue();
            byte[] key = kv.getKey().getBytes();
            changes.add(switch (event.getEventType()) {
                case PUT -> Change.put(kv.getModRevision(), key, kv.getValue().getBytes(), kv.getLease(),
                        kv.getCreateRevision(), kv.getVersion(), seenAt);
                case DELETE -> Change.delete(kv.getModRevision(), key, seenAt);
                default -> throw new IllegalStateException("etcd sent an event of unknown type for key "
                        + kv.getKey() + " at revision " + kv.getModRevision());
            });
        }
        return changes;
    }
}
