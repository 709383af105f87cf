package dev.cpr.backup.adapters.etcd;

import static dev.cpr.backup.adapters.etcd.DrillFixtures.QUIET;
import static dev.cpr.backup.adapters.etcd.DrillFixtures.bytes;
import static dev.cpr.backup.adapters.etcd.DrillFixtures.drillConfig;
import static dev.cpr.backup.adapters.etcd.DrillFixtures.sha256;
import static dev.cpr.backup.adapters.etcd.DrillFixtures.takeSnapshot;
import static dev.cpr.backup.adapters.etcd.DrillFixtures.verifiedSnapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.backup.adapters.store.LocalArtifactStore;
import dev.cpr.backup.app.BackupCatalog;
import dev.cpr.backup.app.ChainDrills;
import dev.cpr.backup.app.ChangeLogMetrics;
import dev.cpr.backup.app.ChangeRecorder;
import dev.cpr.backup.app.PointsInTime;
import dev.cpr.backup.domain.changelog.BrokenChain;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.RevisionTransaction;
import dev.cpr.contracts.changelog.SegmentCodec;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.PutOption;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chain drills that REPLAY: a real etcd over mutual TLS, a real snapshot of it in the local store, four segments of
 * its changes recorded by {@link ChangeRecorder} (one under a lease), then the drill restores the snapshot into a
 * scratch etcd, replays the segments one transaction per original revision and compares revision and {@code HashKV}
 * with the source. A segment rewritten with another value (its sha256 and decoding still sound, the catalog updated to
 * match) passes the read-back and is caught by the hash. A newer verified snapshot past a break resolves its incident.
 */
class ChainReplayDrillOnEtcdTest {

    private static final String CLUSTER = "replayed";

    @TempDir
    static Path dir;
    private static EtcdCluster etcd;
    private static ArtifactStore store;

    private final InMemoryChangeLogCatalog catalog = new InMemoryChangeLogCatalog();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<BackupUpdate> verified = new ArrayList<>();
    private DrillExpectation expectation;
    private ChainDrills drills;
    private long snapshot;

    @BeforeAll
    static void start() {
        etcd = EtcdCluster.startTls(dir.resolve("etcd"), CLUSTER, 1);
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
    void snapshotThenFourSegments() throws Exception {
        // given a compacted history, a real snapshot of the cluster, verified, and four segments of changes after it
        etcd.putKeys("/before/" + UUID.randomUUID() + "/", 30);
        etcd.putKeys("/before/" + UUID.randomUUID() + "/", 30);
        etcd.client().getKVClient().compact(etcd.revision() - 1, CompactOption.newBuilder().withCompactPhysical(true)
                .build()).get(10, TimeUnit.SECONDS);
        snapshot = etcd.revision();
        String location = takeSnapshot(etcd, store, CLUSTER);
        expectation = new DrillExpectation(sha256(store, location), snapshot, snapshot, etcd.countKeys());
        verified.add(verifiedSnapshot(UUID.randomUUID().toString(), CLUSTER, snapshot, location, Instant.now()));
        Inventory inventory = new Inventory(List.of(etcd.spec()));
        drills = new ChainDrills(inventory, backups(), catalog, store, new ChangeLogMetrics(registry),
                Clock.systemUTC(), new ScratchChainReplayer(new SnapshotVerifier(drillConfig(dir.resolve("scratch")),
                        store, Clock.systemUTC()), Clock.systemUTC()));
        ChangeRecorder recorder = new ChangeRecorder(etcd.spec(), new JetcdChangeFeed(Clock.systemUTC()), store,
                catalog, new ChangeRecorder.Limits(20, Duration.ofSeconds(1)), Clock.systemUTC(), QUIET);
        recorder.start(snapshot);
        try {
            long lease = etcd.client().getLeaseClient().grant(600).get(10, TimeUnit.SECONDS).getID();
            for (int i = 0; i < 4; i++) {
                if (i == 1) { // a key under a lease: the hash holds the lease id
                    etcd.client().getKVClient().put(bytes("/replay/leased"), bytes("held"),
                            PutOption.builder().withLeaseId(lease).build()).get(10, TimeUnit.SECONDS);
                }
                etcd.putKeys("/replay/" + snapshot + "/" + i + "/", 20);
                long end = etcd.revision();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> catalog.lastDurableRevision(CLUSTER).orElse(0) >= end);
            }
        } finally {
            recorder.stop();
        }
    }

    @Test
    void aGoodChainReplaysToItsExactRevisionWithTheSourcesKeyspaceHash() throws Exception {
        // given the source compacted after the snapshot (the scratch etcd must be compacted alike to compare hashes)
        etcd.client().getKVClient().compact(snapshot + 2, CompactOption.newBuilder().withCompactPhysical(true)
                .build()).get(10, TimeUnit.SECONDS);

        // when
        ChainDrills.Result result = drills.drill(CLUSTER);

        // then

        assertThat(result.verdict()).as(result.detail()).isEqualTo(ChainDrills.Verdict.INTACT);
        assertThat(result.checkedTo()).isEqualTo(etcd.revision()).isEqualTo(snapshot + 5);
        assertThat(result.detail()).contains("replayed into a scratch etcd")
                .contains("revision " + (snapshot + 5) + " exact after 5 transactions")
                .contains("equal to the source's (both compacted at " + (snapshot + 2) + ")");
        assertThat(catalog.broken(CLUSTER)).isEmpty();
        assertThat(registry.timer("cpr.changelog.replay.duration", "cluster", CLUSTER, "outcome", "matched").count())
                .isEqualTo(1);
    }

    @Test
    void aSegmentRewrittenWithAnotherValueButSoundDigestsIsCaughtByTheHashAndMarked() throws Exception {
        // given the third segment decoded, one value changed, encoded again and the catalog's row made to match
        StoredSegment victim = catalog.segments(CLUSTER).stream()
                .filter(s -> s.segment().firstRevision() > snapshot).toList().get(2);
        rewrite(victim, changes -> {
            Change original = changes.get(7);
            changes.set(7, Change.put(original.revision(), original.key(),
                    "not what etcd committed".getBytes(StandardCharsets.UTF_8), original.leaseId(),
                    original.createRevision(), original.version(), original.seenAt()));
        });

        // when drilled
        ChainDrills.Result result = drills.drill(CLUSTER);

        // then the read-back passed it, the replay's hash did not: the victim is marked with its incident
        assertThat(result.verdict()).as(result.detail()).isEqualTo(ChainDrills.Verdict.BROKEN);
        BrokenChain broken = result.broken().orElseThrow();
        assertThat(broken.fromRevision()).isEqualTo(victim.segment().firstRevision());
        assertThat(broken.toRevision()).isEqualTo(victim.segment().lastRevision());
        assertThat(broken.reason()).contains("replayed into a scratch etcd").contains("hashes")
                .contains("first differs at revision " + victim.segment().lastRevision());
        assertThat(catalog.incidents).singleElement()
                .satisfies(i -> assertThat(i.failure()).isEqualTo(FailureKind.CHANGE_LOG_BROKEN));
        Inventory inventory = new Inventory(List.of(etcd.spec()));
        assertThat(new PointsInTime(inventory, backups(), catalog).of(CLUSTER).get(0).coveredTo())
                .isEqualTo(victim.segment().firstRevision() - 1);
    }

    @Test
    void aRevisionTooWideForOneTransactionMarksItsSegmentBrokenWithoutStartingAReplay() throws Exception {
        // given the third segment's last revision made to hold 129 more puts (a source whose --max-txn-ops is above
        // etcd's default of 128): its digests sound, its revisions contiguous, but no replay can apply it as one
        StoredSegment victim = catalog.segments(CLUSTER).stream()
                .filter(s -> s.segment().firstRevision() > snapshot).toList().get(2);
        long last = victim.segment().lastRevision();
        rewrite(victim, changes -> {
            Instant seen = changes.get(changes.size() - 1).seenAt();
            for (int i = 0; i <= RevisionTransaction.MAX_TXN_OPS; i++) {
                changes.add(Change.put(last, ("/wide/" + i).getBytes(StandardCharsets.UTF_8), new byte[] {1}, 0, last,
                        1, seen));
            }
        });

        // when drilled
        ChainDrills.Result result = drills.drill(CLUSTER);

        // then the segment is marked with its incident and why, and no scratch etcd was started for a replay
        assertThat(result.verdict()).as(result.detail()).isEqualTo(ChainDrills.Verdict.BROKEN);
        BrokenChain broken = result.broken().orElseThrow();
        assertThat(broken.fromRevision()).isEqualTo(victim.segment().firstRevision());
        assertThat(broken.toRevision()).isEqualTo(last);
        assertThat(broken.reason()).contains("original revision " + last + " changed")
                .contains("cannot be replayed as one transaction");
        assertThat(catalog.incidents).singleElement()
                .satisfies(i -> assertThat(i.failure()).isEqualTo(FailureKind.CHANGE_LOG_BROKEN));
        assertThat(registry.find("cpr.changelog.replay.duration").timers()).isEmpty();
    }

    @Test
    void theIncidentResolvesOnceANewerVerifiedSnapshotLiesPastTheBreak() throws Exception {
        // given a bit-flipped second segment, found broken
        StoredSegment victim = catalog.segments(CLUSTER).stream()
                .filter(s -> s.segment().firstRevision() > snapshot).toList().get(1);
        Path file = store.localPath(victim.location()).orElseThrow();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        BrokenChain broken = drills.drill(CLUSTER).broken().orElseThrow();
        assertThat(catalog.openBreaks(CLUSTER)).containsExactly(broken);

        // when a newer snapshot past it is verified and the chain drilled twice
        long newer = etcd.revision();
        verified.add(0, verifiedSnapshot(UUID.randomUUID().toString(), CLUSTER, newer, "unused", Instant.now()));
        ChainDrills.Result first = drills.drill(CLUSTER);
        drills.drill(CLUSTER);

        // then the incident is resolved once, and the mark cuts only the older snapshot's points
        assertThat(first.verdict()).isEqualTo(ChainDrills.Verdict.INTACT);
        assertThat(catalog.resolved).singleElement().satisfies(resolved -> {
            assertThat(resolved.incidentId()).isEqualTo(broken.incidentId());
            assertThat(resolved.failure()).isEqualTo(FailureKind.CHANGE_LOG_BROKEN);
        });
        assertThat(catalog.openBreaks(CLUSTER)).isEmpty();
        Inventory inventory = new Inventory(List.of(etcd.spec()));
        List<PointsInTime.PointInTime> points = new PointsInTime(inventory, backups(), catalog).of(CLUSTER);
        assertThat(points.get(0).revision()).isEqualTo(newer);
        assertThat(points.get(0).breaks()).isEmpty();
        assertThat(points.get(1).coveredTo()).isEqualTo(broken.fromRevision() - 1);
    }

    /**
     * A stored segment decoded, its changes edited, encoded again (sound digests) and written back, the catalog's row
     * made to match: what only the replay, not the read-back, can catch.
     */
    private void rewrite(StoredSegment victim, Consumer<List<Change>> edit) throws Exception {
        Path file = store.localPath(victim.location()).orElseThrow();
        List<Change> changes = new ArrayList<>(SegmentCodec.decode(Files.readAllBytes(file),
                victim.segment().sha256()).changes());
        edit.accept(changes);
        SegmentCodec.Encoded edited = SegmentCodec.encode(CLUSTER, changes, victim.segment().openedAt(),
                victim.segment().closedAt());
        Files.write(file, edited.bytes());
        catalog.rewrite(victim, new StoredSegment(edited.segment(), victim.location(), edited.bytes().length));
    }

    /** The verified snapshots, newest first, and the expectation of the one taken here. */
    private BackupCatalog backups() {
        return DrillFixtures.backups(verified, id -> Optional.ofNullable(expectation));
    }
}
