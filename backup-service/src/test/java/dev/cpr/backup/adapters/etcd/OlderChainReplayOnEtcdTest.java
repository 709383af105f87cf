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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Older chains proven by replay: a real etcd over mutual TLS, a snapshot S0, four segments of its changes recorded by
 * {@link ChangeRecorder} (one key under a lease), the source compacted inside them, then a second snapshot S1 at the
 * chain's end. The source no longer has the chain's hashes below its compaction, but S1 is the keyspace the chain must
 * give: the drill restores S0 and S1 into two scratch etcds, replays the chain into the first up to S1's revision and
 * compares {@code HashKV} with the second (compacted alike). A segment re-encoded with another value (sha256 and
 * decoding sound) is caught, narrowed to that segment and marked; S0's points stop before it, S1's are whole.
 */
class OlderChainReplayOnEtcdTest {

    private static final String CLUSTER = "older";

    @TempDir
    static Path dir;
    private static EtcdCluster etcd;
    private static ArtifactStore store;

    private final InMemoryChangeLogCatalog catalog = new InMemoryChangeLogCatalog();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<BackupUpdate> verified = new ArrayList<>();
    private final Map<String, DrillExpectation> expectations = new ConcurrentHashMap<>();
    private ChainDrills drills;
    private long first;
    private long next;

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
    void twoSnapshotsAndTheChainBetween() throws Exception {
        // given a compacted history and a verified snapshot S0
        etcd.putKeys("/before/" + UUID.randomUUID() + "/", 30);
        etcd.putKeys("/before/" + UUID.randomUUID() + "/", 30);
        etcd.client().getKVClient().compact(etcd.revision() - 1, CompactOption.newBuilder().withCompactPhysical(true)
                .build()).get(10, TimeUnit.SECONDS);
        first = etcd.revision();
        BackupUpdate s0 = snapshotVerified(first, Instant.now().minusSeconds(60));
        // and four segments of changes after it
        ChangeRecorder recorder = new ChangeRecorder(etcd.spec(), new JetcdChangeFeed(Clock.systemUTC()), store,
                catalog, new ChangeRecorder.Limits(20, Duration.ofSeconds(1)), Clock.systemUTC(), QUIET);
        recorder.start(first);
        try {
            long lease = etcd.client().getLeaseClient().grant(600).get(10, TimeUnit.SECONDS).getID();
            for (int i = 0; i < 4; i++) {
                if (i == 1) { // a key under a lease: the hash holds the lease id
                    etcd.client().getKVClient().put(bytes("/older/leased"), bytes("held"),
                            PutOption.builder().withLeaseId(lease).build()).get(10, TimeUnit.SECONDS);
                }
                etcd.putKeys("/older/" + first + "/" + i + "/", 20);
                long end = etcd.revision();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> catalog.lastDurableRevision(CLUSTER).orElse(0) >= end);
            }
        } finally {
            recorder.stop();
        }
        // and the source compacted inside the chain, then a second verified snapshot S1 at the chain's end
        etcd.client().getKVClient().compact(first + 1, CompactOption.newBuilder().withCompactPhysical(true)
                .build()).get(10, TimeUnit.SECONDS);
        next = etcd.revision();
        BackupUpdate s1 = snapshotVerified(next, Instant.now().minusSeconds(30));
        verified.add(s1);
        verified.add(s0);
        drills = drills();
    }

    /** backup-service's drills over this test's catalog, as a (re)start builds them: nothing kept but the catalog. */
    private ChainDrills drills() {
        return new ChainDrills(new Inventory(List.of(etcd.spec())), backups(), catalog, store,
                new ChangeLogMetrics(registry), Clock.systemUTC(), new ScratchChainReplayer(new SnapshotVerifier(
                        drillConfig(dir.resolve("scratch")), store, Clock.systemUTC()), Clock.systemUTC()), 1);
    }

    @Test
    void anOlderChainReplaysToTheNextSnapshotsKeyspaceHashAndIsNotReplayedAgain() {
        // when
        ChainDrills.Result result = drills.drill(CLUSTER);

        // then the chain S0..S1 is proven against S1's own keyspace, compacted alike
        assertThat(result.verdict()).as(result.detail()).isEqualTo(ChainDrills.Verdict.INTACT);
        assertThat(result.olderChains()).singleElement().satisfies(older -> {
            assertThat(older.verdict()).as(older.detail()).isEqualTo(ChainDrills.Verdict.INTACT);
            assertThat(older.snapshotRevision()).isEqualTo(first);
            assertThat(older.checkedTo()).isEqualTo(next).isEqualTo(first + 5);
            assertThat(older.detail()).contains("revision " + next + " exact after 5 transactions")
                    .contains("equal to the next snapshot's (" + verified.get(0).backupId() + " at " + next + ")")
                    .contains("both compacted at " + (first + 1));
        });
        assertThat(catalog.broken(CLUSTER)).isEmpty();
        assertThat(registry.counter("cpr.changelog.older.chain.replays", "cluster", CLUSTER, "outcome", "matched")
                .count()).isEqualTo(1);

        // and a proven chain is not replayed by the next drill, nor after a restart: it is recorded in the catalog
        assertThat(drills.drill(CLUSTER).olderChains()).isEmpty();
        assertThat(catalog.isProven(CLUSTER, verified.get(1).backupId(), verified.get(0).backupId())).isTrue();
        assertThat(drills().drill(CLUSTER).olderChains()).isEmpty();
    }

    @Test
    void anOlderSegmentRewrittenWithAnotherValueIsNarrowedMarkedAndItsPointsNoLongerOffered() throws Exception {
        // given the third segment after S0 decoded, one value changed, encoded again and the catalog's row made to match
        StoredSegment victim = catalog.segments(CLUSTER).stream()
                .filter(s -> s.segment().firstRevision() > first).toList().get(2);
        Path file = store.localPath(victim.location()).orElseThrow();
        List<Change> changes = new ArrayList<>(SegmentCodec.decode(Files.readAllBytes(file),
                victim.segment().sha256()).changes());
        Change original = changes.get(7);
        changes.set(7, Change.put(original.revision(), original.key(),
                "not what etcd committed".getBytes(StandardCharsets.UTF_8), original.leaseId(),
                original.createRevision(), original.version(), original.seenAt()));
        SegmentCodec.Encoded forged = SegmentCodec.encode(CLUSTER, changes, victim.segment().openedAt(),
                victim.segment().closedAt());
        Files.write(file, forged.bytes());
        catalog.rewrite(victim, new StoredSegment(forged.segment(), victim.location(), forged.bytes().length));

        // when drilled twice
        ChainDrills.Result result = drills.drill(CLUSTER);
        drills.drill(CLUSTER);

        // then the read-back passed it, the replay against S1 did not: the victim is marked, its incident opened once
        assertThat(result.verdict()).as(result.detail()).isEqualTo(ChainDrills.Verdict.BROKEN);
        BrokenChain broken = result.broken().orElseThrow();
        assertThat(broken.fromRevision()).isEqualTo(victim.segment().firstRevision());
        assertThat(broken.toRevision()).isEqualTo(victim.segment().lastRevision());
        assertThat(broken.reason()).contains("to the next snapshot " + verified.get(0).backupId())
                .contains("first differs at revision " + victim.segment().lastRevision());
        assertThat(catalog.incidents).singleElement()
                .satisfies(i -> assertThat(i.failure()).isEqualTo(FailureKind.CHANGE_LOG_BROKEN));
        assertThat(registry.counter("cpr.changelog.older.chain.replays", "cluster", CLUSTER, "outcome", "fault")
                .count()).isEqualTo(1);
        // and S0's points stop before it, S1's stay whole
        Inventory inventory = new Inventory(List.of(etcd.spec()));
        List<PointsInTime.PointInTime> points = new PointsInTime(inventory, backups(), catalog).of(CLUSTER);
        assertThat(points.get(0).revision()).isEqualTo(next);
        assertThat(points.get(0).breaks()).isEmpty();
        assertThat(points.get(1).revision()).isEqualTo(first);
        assertThat(points.get(1).coveredTo()).isEqualTo(victim.segment().firstRevision() - 1);
        assertThat(points.get(1).breaks()).singleElement().asString().contains("not restorable from revision "
                + victim.segment().firstRevision());
        // and no newer snapshot brings those points back: the incident stays open while S0 is retained
        assertThat(catalog.openBreaks(CLUSTER)).containsExactly(broken);
        assertThat(catalog.resolved).isEmpty();
    }

    @Test
    void aBreakInAnOlderChainResolvesOnceRetentionDroppedTheSnapshotsItCut() throws Exception {
        // given a bit-flipped segment between S0 and S1, found broken, its incident open
        StoredSegment victim = catalog.segments(CLUSTER).stream()
                .filter(s -> s.segment().firstRevision() > first).toList().get(1);
        Path file = store.localPath(victim.location()).orElseThrow();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        BrokenChain broken = drills.drill(CLUSTER).broken().orElseThrow();
        drills.drill(CLUSTER);
        assertThat(catalog.openBreaks(CLUSTER)).containsExactly(broken);

        // when retention drops S0, the only snapshot whose points it cut
        verified.remove(1);
        drills.drill(CLUSTER);
        drills.drill(CLUSTER);

        // then its incident is resolved once
        assertThat(catalog.resolved).singleElement()
                .satisfies(resolved -> assertThat(resolved.incidentId()).isEqualTo(broken.incidentId()));
        assertThat(catalog.openBreaks(CLUSTER)).isEmpty();
    }

    private BackupUpdate snapshotVerified(long revision, Instant at) throws Exception {
        String location = takeSnapshot(etcd, store, CLUSTER);
        String id = UUID.randomUUID().toString();
        expectations.put(id, new DrillExpectation(sha256(store, location), revision, revision, etcd.countKeys()));
        return verifiedSnapshot(id, CLUSTER, revision, location, at);
    }

    /** The verified snapshots, newest first, and the expectation each was verified with. */
    private BackupCatalog backups() {
        return DrillFixtures.backups(verified, id -> Optional.ofNullable(expectations.get(id)));
    }
}
