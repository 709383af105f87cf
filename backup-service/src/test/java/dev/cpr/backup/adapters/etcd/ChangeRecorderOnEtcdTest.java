package dev.cpr.backup.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cpr.backup.adapters.store.LocalArtifactStore;
import dev.cpr.backup.app.ChangeFeed;
import dev.cpr.backup.app.ChangeRecorder;
import dev.cpr.backup.domain.changelog.ChainCheck;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.CorruptSegmentException;
import dev.cpr.contracts.changelog.SegmentCodec;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change log recorded from a real three-member etcd serving mutual TLS, through the jetcd watch the service
 * uses, into the local artifact store. The catalog is the in-memory one (its PostgreSQL twin is
 * {@code ChangeLogStore}); the start revision stands for a snapshot's own revision.
 */
class ChangeRecorderOnEtcdTest {

    @TempDir
    static Path dir;
    private static EtcdCluster etcd;
    private static ArtifactStore store;

    private final InMemoryChangeLogCatalog catalog = new InMemoryChangeLogCatalog();
    private final List<Long> compactions = new CopyOnWriteArrayList<>();
    private final List<ChangeRecorder> started = new ArrayList<>();

    @BeforeAll
    static void start() {
        etcd = EtcdCluster.startTls(dir.resolve("etcd"), "journal", 3);
        store = new LocalArtifactStore(dir.resolve("store"));
    }

    @AfterAll
    static void stop() {
        if (etcd != null) {
            etcd.close();
            etcd.deleteData();
        }
    }

    @AfterEach
    void stopRecorders() {
        started.forEach(ChangeRecorder::stop);
    }

    @Test
    void putsDeletesALeaseKeyAndATransactionAreAllInTheSegmentsInRevisionOrderWithNoGap() throws Exception {
        // given a recorder started after the "snapshot" revision
        long snapshot = etcd.revision();
        ChangeRecorder recorder = recorder(50);
        recorder.start(snapshot);
        KV kv = etcd.client().getKVClient();
        // when
        etcd.putKeys("/plain/", 120); // two transactions: 100 keys, then 20
        kv.put(bytes("/single/0"), bytes("a")).get();
        kv.put(bytes("/single/1"), bytes("b")).get();
        kv.delete(bytes("/single/0"), DeleteOption.DEFAULT).get();
        long lease = etcd.client().getLeaseClient().grant(60).get().getID();
        kv.put(bytes("/leased/k"), bytes("held"), PutOption.builder().withLeaseId(lease).build()).get();
        etcd.client().getLeaseClient().revoke(lease).get(); // the key goes as it would at the lease's expiry
        kv.txn().Then(Op.put(bytes("/txn/a"), bytes("1"), PutOption.DEFAULT),
                Op.put(bytes("/txn/b"), bytes("2"), PutOption.DEFAULT),
                Op.delete(bytes("/single/1"), DeleteOption.DEFAULT)).commit().get();
        long end = etcd.revision();
        // then
        List<Change> changes = awaitRecordedTo(end);
        assertThat(changes).extracting(Change::revision).isSorted();
        assertThat(changes.stream().mapToLong(Change::revision).distinct().toArray())
                .containsExactly(LongStream.rangeClosed(snapshot + 1, end).toArray());
        assertThat(ChainCheck.check(snapshot, segments()).unbroken()).isTrue();
        assertThat(changes).filteredOn(c -> c.keyText().startsWith("/plain/") && c.type() == Change.Type.PUT)
                .hasSize(120);
        assertThat(changes).filteredOn(c -> c.keyText().equals("/single/0")).extracting(Change::type)
                .containsExactly(Change.Type.PUT, Change.Type.DELETE);
        assertThat(changes).filteredOn(c -> c.keyText().equals("/leased/k"))
                .satisfiesExactly(
                        put -> assertThat(put.leaseId()).isEqualTo(lease),
                        revoked -> assertThat(revoked.type()).isEqualTo(Change.Type.DELETE));
        List<Change> txn = changes.stream().filter(c -> c.revision() == end).toList();
        assertThat(txn).extracting(Change::keyText).containsExactly("/txn/a", "/txn/b", "/single/1");
        assertThat(txn).extracting(Change::type).containsExactly(Change.Type.PUT, Change.Type.PUT, Change.Type.DELETE);
    }

    @Test
    void aRecorderStoppedWithAnOpenSegmentLosesNothingWhenTheNextStartsAfterTheLastDurableRevision() throws Exception {
        // given a recorder with one durable segment and five changes still in its open one when it stops
        long snapshot = etcd.revision();
        KV kv = etcd.client().getKVClient();
        ChangeRecorder first = recorder(40);
        first.start(snapshot);
        etcd.putKeys("/before-stop/", 100);
        await().atMost(Duration.ofSeconds(20)).until(() -> catalog.lastDurableRevision("journal").isPresent());
        for (int i = 0; i < 5; i++) {
            kv.put(bytes("/open-at-stop/" + i), bytes("v")).get();
        }
        first.stop();
        long durable = catalog.lastDurableRevision("journal").orElseThrow();
        assertThat(durable).as("the open segment was not durable").isLessThan(etcd.revision());
        etcd.putKeys("/while-down/", 30);
        // when a new recorder starts where the catalog says
        ChangeRecorder second = recorder(40);
        second.start(durable);
        etcd.putKeys("/after-restart/", 30);
        long end = etcd.revision();
        // then every key written is in the log exactly once, and the chain has no gap and no overlap
        List<Change> changes = awaitRecordedTo(end);
        assertThat(ChainCheck.check(snapshot, segments()).breaks()).isEmpty();
        assertThat(changes).extracting(Change::keyText).doesNotHaveDuplicates()
                .filteredOn(k -> k.startsWith("/before-stop/") || k.startsWith("/open-at-stop/")
                        || k.startsWith("/while-down/") || k.startsWith("/after-restart/"))
                .hasSize(165);
    }

    @Test
    void aBitFlippedSegmentIsDetectedOnReadAndAMissingOneIsNamedAsAGap() throws Exception {
        // given
        long snapshot = etcd.revision();
        recorder(10).start(snapshot);
        for (int i = 0; i < 3; i++) {
            etcd.putKeys("/flip/" + i + "/", 20); // one transaction each: a segment each
            awaitRecordedTo(etcd.revision());
        }
        List<StoredSegment> stored = catalog.segments("journal").stream()
                .filter(s -> s.segment().firstRevision() > snapshot).toList();
        StoredSegment victim = stored.get(1);
        Path file = store.localPath(victim.location()).orElseThrow();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        // when / then
        assertThatThrownBy(() -> read(victim)).isInstanceOf(CorruptSegmentException.class)
                .hasMessageContaining("the catalog recorded " + victim.segment().sha256());
        List<dev.cpr.contracts.changelog.Segment> withoutIt = stored.stream().filter(s -> s != victim)
                .map(StoredSegment::segment).toList();
        assertThat(ChainCheck.check(snapshot, withoutIt).breaks()).extracting(ChainCheck.Break::describe)
                .containsExactly("gap: revisions " + victim.segment().firstRevision() + ".."
                        + victim.segment().lastRevision() + " are missing after "
                        + (victim.segment().firstRevision() - 1));
    }

    @Test
    void aRecorderStartingBehindMoreHistoryThanOneGrpcMessageHoldsRecordsAllOfIt() throws Exception {
        // given 10 MB written since the "snapshot": etcd sends a catching-up watch up to 1,000 revisions in one
        // response, past gRPC's 4 MiB default inbound limit, which jetcd's default client meets with silence
        long snapshot = etcd.revision();
        KV kv = etcd.client().getKVClient();
        String value = "v".repeat(5_000);
        for (int t = 0; t < 200; t++) {
            Op[] puts = new Op[10];
            for (int i = 0; i < puts.length; i++) {
                puts[i] = Op.put(bytes("/behind/" + t + "/" + i), bytes(value), PutOption.DEFAULT);
            }
            kv.txn().Then(puts).commit().get();
        }
        long end = etcd.revision();
        // when a recorder starts after the snapshot
        recorder(1_000).start(snapshot);
        // then every change of those 200 revisions is recorded
        List<Change> changes = awaitRecordedTo(end);
        assertThat(changes).filteredOn(c -> c.keyText().startsWith("/behind/")).hasSize(2_000);
        assertThat(ChainCheck.check(snapshot, segments()).unbroken()).isTrue();
    }

    @Test
    void theFeedSaysWhichEtcdClusterAnswersAndAtWhichRevision() {
        JetcdChangeFeed feed = new JetcdChangeFeed(Clock.systemUTC());

        ChangeFeed.Identity first = feed.identity(etcd.spec());
        etcd.putKeys("/identity/", 1);
        ChangeFeed.Identity later = feed.identity(etcd.spec());

        assertThat(first.etcdClusterId()).as("etcd's cluster id").isNotZero();
        assertThat(later.etcdClusterId()).as("the same cluster, asked again").isEqualTo(first.etcdClusterId());
        assertThat(later.revision()).isEqualTo(first.revision() + 1).isEqualTo(etcd.revision());
    }

    @Test
    void aWatchBehindACompactionIsReportedAndEndsTheRecorder() throws Exception {
        // given revisions compacted away
        long old = etcd.revision();
        etcd.putKeys("/compacted/a/", 20);
        etcd.putKeys("/compacted/b/", 20);
        long compactedTo = etcd.revision();
        etcd.client().getKVClient().compact(compactedTo).get();
        // when a recorder wants the changes after the old revision
        ChangeRecorder recorder = recorder(10);
        recorder.start(old);
        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.state() == ChangeRecorder.State.COMPACTED);
        assertThat(compactions).containsExactly(compactedTo);
        assertThat(recorder.compactRevision()).isEqualTo(compactedTo);
        assertThat(catalog.segments("journal")).isEmpty();
    }

    private ChangeRecorder recorder(int maxChanges) {
        ChangeRecorder recorder = new ChangeRecorder(etcd.spec(), new JetcdChangeFeed(Clock.systemUTC()), store,
                catalog, new ChangeRecorder.Limits(maxChanges, Duration.ofSeconds(1)), Clock.systemUTC(),
                new ChangeRecorder.Outcomes() {
                    @Override
                    public void stored(StoredSegment segment) {
                    }

                    @Override
                    public void compacted(String clusterId, long compactRevision) {
                        compactions.add(compactRevision);
                    }

                    @Override
                    public void broke(String clusterId, String what) {
                    }
                });
        started.add(recorder);
        return recorder;
    }

    /** Waits until the catalog is durable up to {@code revision}; returns every stored change, read back whole. */
    private List<Change> awaitRecordedTo(long revision) throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> catalog.lastDurableRevision("journal").orElse(0) >= revision);
        List<Change> changes = new ArrayList<>();
        for (StoredSegment segment : catalog.segments("journal")) {
            changes.addAll(read(segment).changes());
        }
        return changes;
    }

    private List<dev.cpr.contracts.changelog.Segment> segments() {
        return catalog.segments("journal").stream().map(StoredSegment::segment).toList();
    }

    private static SegmentCodec.Decoded read(StoredSegment segment) throws IOException, CorruptSegmentException {
        try (InputStream in = store.open(segment.location())) {
            return SegmentCodec.decode(in.readAllBytes(), segment.segment().sha256());
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
