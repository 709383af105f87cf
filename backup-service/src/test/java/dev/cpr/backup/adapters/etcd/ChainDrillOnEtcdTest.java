package dev.cpr.backup.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.backup.adapters.store.LocalArtifactStore;
import dev.cpr.backup.app.BackupCatalog;
import dev.cpr.backup.app.ChainDrills;
import dev.cpr.backup.app.ChangeLogChain;
import dev.cpr.backup.app.ChangeLogMetrics;
import dev.cpr.backup.app.ChangeRecorder;
import dev.cpr.backup.app.PointsInTime;
import dev.cpr.backup.domain.changelog.BrokenChain;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chain drills of a change log recorded from a real three-member etcd over mutual TLS into the local artifact store:
 * an intact chain read back whole, a bit-flipped and a truncated segment caught and marked once, and the points in
 * time and the segment listing a restore reads cut at the break. The catalog is the in-memory one; its PostgreSQL
 * twin ({@code ChangeLogStore}, V8) is {@code ChainDrillCatalogTest}.
 */
class ChainDrillOnEtcdTest {

    private static final String CLUSTER = "drilled";

    @TempDir
    static Path dir;
    private static EtcdCluster etcd;
    private static ArtifactStore store;

    private final InMemoryChangeLogCatalog catalog = new InMemoryChangeLogCatalog();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<BackupUpdate> verified = new ArrayList<>();
    private ChangeRecorder recorder;
    private ChainDrills drills;
    private long snapshot;

    @BeforeAll
    static void start() {
        etcd = EtcdCluster.startTls(dir.resolve("etcd"), CLUSTER, 3);
        store = new LocalArtifactStore(dir.resolve("store"));
    }

    @AfterAll
    static void stop() {
        if (etcd != null) {
            etcd.close();
            etcd.deleteData();
        }
    }

    @BeforeEach
    void recordFourSegmentsAfterASnapshot() {
        // given a verified snapshot at the current revision and four segments of real changes after it
        Inventory inventory = new Inventory(List.of(etcd.spec()));
        snapshot = etcd.revision();
        verified.add(DrillFixtures.verifiedSnapshot("s-" + snapshot, CLUSTER, snapshot, "/tmp/s", Instant.now()));
        drills = new ChainDrills(inventory, backups(), catalog, store, new ChangeLogMetrics(registry),
                Clock.systemUTC());
        recorder = new ChangeRecorder(etcd.spec(), new JetcdChangeFeed(Clock.systemUTC()), store, catalog,
                new ChangeRecorder.Limits(20, Duration.ofSeconds(1)), Clock.systemUTC(), DrillFixtures.QUIET);
        recorder.start(snapshot);
        for (int i = 0; i < 4; i++) {
            etcd.putKeys("/drill/" + snapshot + "/" + i + "/", 20); // one transaction of 20 changes: one segment each
            long end = etcd.revision();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> catalog.lastDurableRevision(CLUSTER).orElse(0) >= end);
        }
        recorder.stop();
    }

    @AfterEach
    void stopRecorder() {
        if (recorder != null) {
            recorder.stop();
        }
    }

    @Test
    void anIntactChainIsReadBackWholeToItsLastRevision() {
        ChainDrills.Result result = drills.drill(CLUSTER);

        assertThat(result.verdict()).isEqualTo(ChainDrills.Verdict.INTACT);
        assertThat(result.snapshotRevision()).isEqualTo(snapshot);
        assertThat(result.checkedTo()).isEqualTo(etcd.revision()).isEqualTo(snapshot + 4);
        assertThat(result.segments()).isEqualTo(4);
        assertThat(result.changes()).isEqualTo(80);
        assertThat(catalog.broken(CLUSTER)).isEmpty();
        assertThat(catalog.incidents).isEmpty();
        assertThat(drillCount("intact")).isEqualTo(1);
    }

    @Test
    void aBitFlippedSegmentIsMarkedOnceAndNoPointPastItIsOffered() throws Exception {
        // given the third segment's bytes with one bit flipped
        StoredSegment victim = segmentsAfterSnapshot().get(2);
        Path file = store.localPath(victim.location()).orElseThrow();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        // when drilled twice
        ChainDrills.Result first = drills.drill(CLUSTER);
        ChainDrills.Result again = drills.drill(CLUSTER);
        // then the chain is broken from the victim's first revision, marked and its incident opened once
        assertThat(first.verdict()).isEqualTo(ChainDrills.Verdict.BROKEN);
        assertThat(first.checkedTo()).isEqualTo(victim.segment().firstRevision() - 1);
        BrokenChain broken = first.broken().orElseThrow();
        assertThat(broken.fromRevision()).isEqualTo(victim.segment().firstRevision());
        assertThat(broken.toRevision()).isEqualTo(victim.segment().lastRevision());
        assertThat(broken.reason()).contains("is corrupt").contains(victim.location());
        assertThat(first.newlyMarked()).isTrue();
        assertThat(again.verdict()).isEqualTo(ChainDrills.Verdict.BROKEN);
        assertThat(again.newlyMarked()).isFalse();
        assertThat(catalog.incidents).singleElement().satisfies(incident -> {
            assertThat(incident.failure()).isEqualTo(FailureKind.CHANGE_LOG_BROKEN);
            assertThat(incident.incidentId()).isEqualTo("changelog-broken-" + CLUSTER + "-" + broken.fromRevision());
            assertThat(incident.summary()).contains("not restorable from revision " + broken.fromRevision());
        });
        assertThat(drillCount("broken")).isEqualTo(2);
        // and neither the points in time nor the listing a restore reads go past it
        Inventory inventory = new Inventory(List.of(etcd.spec()));
        PointsInTime.PointInTime point = new PointsInTime(inventory, backups(), catalog).of(CLUSTER).get(0);
        assertThat(point.coveredTo()).isEqualTo(broken.fromRevision() - 1);
        assertThat(point.segments()).isEqualTo(2);
        assertThat(point.breaks()).containsExactly(broken.describe());
        assertThat(new ChangeLogChain(inventory, catalog, store).segments(CLUSTER, snapshot, null))
                .extracting(ChangeLogChain.SegmentEntry::lastRevision)
                .containsExactly(snapshot + 1, snapshot + 2);
    }

    @Test
    void aTruncatedSegmentIsCaughtBeforeAnyPointPastItIsOffered() throws Exception {
        // given the last segment cut short by ten bytes
        StoredSegment victim = segmentsAfterSnapshot().get(3);
        Path file = store.localPath(victim.location()).orElseThrow();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
        // when
        ChainDrills.Result result = drills.drill(CLUSTER);
        // then
        assertThat(result.verdict()).isEqualTo(ChainDrills.Verdict.BROKEN);
        assertThat(result.broken()).map(BrokenChain::fromRevision).hasValue(victim.segment().firstRevision());
        assertThat(result.segments()).isEqualTo(3);
        assertThat(catalog.incidents).hasSize(1);
        Inventory inventory = new Inventory(List.of(etcd.spec()));
        assertThat(new PointsInTime(inventory, backups(), catalog).of(CLUSTER).get(0).coveredTo())
                .isEqualTo(victim.segment().firstRevision() - 1);
    }

    private List<StoredSegment> segmentsAfterSnapshot() {
        List<StoredSegment> after = catalog.segments(CLUSTER).stream()
                .filter(s -> s.segment().firstRevision() > snapshot).toList();
        assertThat(after).hasSize(4);
        return after;
    }

    private double drillCount(String verdict) {
        return registry.counter("cpr.changelog.drills", "cluster", CLUSTER, "verdict", verdict).count();
    }

    /** Only the list of verified snapshots is read: these drills read back, they do not replay. */
    private BackupCatalog backups() {
        return DrillFixtures.backups(verified, id -> Optional.empty());
    }
}
