package dev.cpr.restore.adapters.etcd;

import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.SegmentCodec;
import dev.cpr.kernel.Sha256;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * backup-service's change log as its recorder would have stored it, for restore-service's tests and benchmarks:
 * etcd's watch from a snapshot's next revision cut into encoded segments ({@link #record}), listed and served as a
 * {@link ChangeLogSource}.
 */
public final class RecordedChangeLog implements ChangeLogSource {

    private final Map<Long, byte[]> byId = new HashMap<>();
    private final List<ReplayPlan.SegmentRef> refs;
    private final List<Long> downloads = new ArrayList<>();

    public RecordedChangeLog(List<byte[]> segments) {
        segments.forEach(s -> byId.put(decode(s).segment().firstRevision(), s));
        this.refs = refs(segments);
    }

    /**
     * etcd's watch from {@code snapshotRevision + 1} to {@code last}, as backup-service's recorder sees it, cut into
     * segments only between revisions, once a segment holds {@code segmentChanges} changes or more (as the
     * recorder's roller does).
     */
    public static List<byte[]> record(EtcdCluster etcd, long snapshotRevision, long last, int segmentChanges) {
        List<Change> seen = watch(etcd, snapshotRevision, last);
        List<byte[]> segments = new ArrayList<>();
        List<Change> open = new ArrayList<>();
        for (Change change : seen) {
            if (open.size() >= segmentChanges && open.get(open.size() - 1).revision() != change.revision()) {
                segments.add(encode(etcd, open));
                open = new ArrayList<>();
            }
            open.add(change);
        }
        segments.add(encode(etcd, open));
        return segments;
    }

    private static List<Change> watch(EtcdCluster etcd, long snapshotRevision, long last) {
        ConcurrentLinkedQueue<Change> seen = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        ByteSequence all = ByteSequence.from(new byte[] {0});
        try (Watch.Watcher watcher = etcd.client().getWatchClient().watch(all, WatchOption.builder().withRange(all)
                .withRevision(snapshotRevision + 1).withPrevKV(false).build(), Watch.listener(response -> {
                    Instant at = Instant.now();
                    for (WatchEvent event : response.getEvents()) {
                        KeyValue kv = event.getKeyValue();
                        seen.add(event.getEventType() == WatchEvent.EventType.PUT
                                ? Change.put(kv.getModRevision(), kv.getKey().getBytes(), kv.getValue().getBytes(),
                                        kv.getLease(), kv.getCreateRevision(), kv.getVersion(), at)
                                : Change.delete(kv.getModRevision(), kv.getKey().getBytes(), at));
                    }
                }, failed::set))) {
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (failed.get() != null) {
                            throw new IllegalStateException("the watch failed after " + seen.size() + " changes",
                                    failed.get());
                        }
                        List<Change> sofar = List.copyOf(seen);
                        return !sofar.isEmpty() && sofar.get(sofar.size() - 1).revision() == last;
                    });
        }
        return List.copyOf(seen);
    }

    private static byte[] encode(EtcdCluster etcd, List<Change> changes) {
        Instant opened = changes.get(0).seenAt();
        return SegmentCodec.encode(etcd.spec().id(), changes, opened, opened.plusSeconds(1)).bytes();
    }

    /** The catalog's listing of these segments (id = first revision, sha256 of the stored bytes). */
    public static List<ReplayPlan.SegmentRef> refs(List<byte[]> segments) {
        return segments.stream().map(bytes -> {
            var s = decode(bytes).segment();
            return new ReplayPlan.SegmentRef(s.firstRevision(), s.firstRevision(), s.lastRevision(), s.count(),
                    Sha256.hex(bytes));
        }).toList();
    }

    public static SegmentCodec.Decoded decode(byte[] bytes) {
        try {
            return SegmentCodec.decode(bytes, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ids of the segments served so far, in order. */
    public synchronized List<Long> downloads() {
        return List.copyOf(downloads);
    }

    @Override
    public List<ReplayPlan.SegmentRef> segments(String clusterId, long after, long upTo) {
        return refs.stream().filter(s -> s.lastRevision() > after && s.firstRevision() <= upTo).toList();
    }

    @Override
    public synchronized byte[] segment(String clusterId, long id) {
        downloads.add(id);
        return byId.get(id).clone();
    }

    @Override
    public Optional<RevisionAt> revisionAt(String clusterId, Instant time) {
        return Optional.empty();
    }
}
