package dev.cpr.restore.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import dev.cpr.restore.domain.rehearsal.Rehearsal;
import dev.cpr.restore.domain.rehearsal.ScratchPlanPorts;
import dev.cpr.restore.domain.snapshot.InMemorySnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The schedule: which clusters are rehearsed and when one is due again; a rehearsal with nothing to restore. */
class RehearsalScheduleTest {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final Instant T0 = Instant.parse("2026-12-04T05:00:00Z");
    private static final ClusterSpec PROD = cluster("prod", ClusterKind.ETCD);
    private static final ClusterSpec PKS = cluster("pks", ClusterKind.BOSH);

    private final List<Rehearsal> rows = new ArrayList<>();
    private final RehearsalStore store = new RehearsalStore() {
        @Override
        public synchronized void record(Rehearsal rehearsal) {
            rows.add(0, rehearsal);
        }

        @Override
        public synchronized List<Rehearsal> list(Optional<String> clusterId, int limit) {
            return rows.stream().filter(r -> clusterId.map(r.clusterId()::equals).orElse(true)).limit(limit).toList();
        }

        /** As V10's upsert: a claim is taken when there is none or the one there has expired. */
        @Override
        public synchronized boolean claim(String clusterId, String replicaId, Instant now, Instant until) {
            Instant held = claims.get(clusterId);
            if (held != null && !held.isBefore(now)) {
                return false;
            }
            claims.put(clusterId, until);
            return true;
        }
    };
    private final Map<String, Instant> claims = new HashMap<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static ClusterSpec cluster(String id, ClusterKind kind) {
        List<MemberSpec> members = List.of(1, 2, 3).stream().map(i -> new MemberSpec("m-" + i, "http://127.0.0.1:"
                + (2 * i - 1), "http://127.0.0.1:" + 2 * i, "/var/lib/etcd/" + id + "-" + i, null)).toList();
        return new ClusterSpec(id, kind, null, null, members, null);
    }

    private Rehearsals at(Instant now) {
        return at(now, "replica-a");
    }

    private Rehearsals at(Instant now, String replica) {
        // an empty catalog: a rehearsal ends before any scratch cluster is made
        return rehearsals(now, new InMemorySnapshotCatalog(), 2 * GIB, new ScratchClusters.Room(100 * GIB,
                OptionalLong.of(16 * GIB)), replica);
    }

    private Rehearsals rehearsals(Instant now, InMemorySnapshotCatalog catalog, long budget,
            ScratchClusters.Room room) {
        return rehearsals(now, catalog, budget, room, "replica-a");
    }

    private Rehearsals rehearsals(Instant now, InMemorySnapshotCatalog catalog, long budget, ScratchClusters.Room room,
            String replica) {
        return rehearsals(now, catalog, null, budget, room, replica);
    }

    private Rehearsals rehearsals(Instant now, InMemorySnapshotCatalog catalog, ChangeLogSource changeLog, long budget,
            ScratchClusters.Room room, String replica) {
        ScratchPlanPorts ports = new ScratchPlanPorts(null, null, catalog, Sleeper.REAL, changeLog, null, null);
        ScratchClusters never = new ScratchClusters() {
            @Override
            public Scratch create(ClusterSpec source, String scratchId) {
                throw new AssertionError("no scratch cluster made");
            }

            @Override
            public Room room() {
                return room;
            }

            @Override
            public List<String> tearDown(Scratch scratch) {
                throw new AssertionError("nothing to tear down");
            }
        };
        return new Rehearsals(new Inventory(List.of(PROD, PKS)), ports, never, store, new RehearsalMetrics(registry),
                Clock.fixed(now, ZoneOffset.UTC), new Rehearsals.Settings(true, Duration.ofHours(24), List.of(),
                        budget, replica));
    }

    @Test
    void everyEtcdClusterIsScheduledAndRehearsedAgainOnlyOnceItsNewestRehearsalIsAnIntervalOld() {
        assertThat(at(T0).scheduled()).extracting(ClusterSpec::id).containsExactly("prod");

        // given no rehearsal yet: the first look rehearses prod (FAILED: there is no snapshot), not the BOSH cluster
        at(T0).rehearseDue();
        assertThat(rows).extracting(Rehearsal::clusterId, Rehearsal::verdict)
                .containsExactly(tuple("prod", Rehearsal.Verdict.FAILED));
        assertThat(rows.get(0).reason()).isEqualTo("nothing to restore from: backup-service has no verified snapshot "
                + "of prod");
        assertThat(rows.get(0).rtoMillis()).isNull();

        // when the schedule looks again within the interval, nothing runs; once the interval has passed, prod again
        at(T0.plus(Duration.ofHours(23))).rehearseDue();
        assertThat(rows).hasSize(1);
        at(T0.plus(Duration.ofHours(24))).rehearseDue();
        assertThat(rows).hasSize(2);
        assertThat(registry.get("cpr.rehearsals").tags("cluster", "prod", "verdict", "failed").counter().count())
                .isEqualTo(2.0);
        assertThat(registry.find("cpr.rehearsal.rto.seconds").gauge()).as("no RTO before one passed").isNull();
    }

    @Test
    void aRehearsalThatWouldOutgrowTheScratchBudgetIsRefusedBeforeAnyScratchClusterIsMadeAndRecordedWithItsNeed() {
        // given prod's newest verified snapshot of 1 GiB: three members need about 5.1 GiB of scratch disk
        InMemorySnapshotCatalog catalog = new InMemorySnapshotCatalog().add(new SnapshotRef("snap-big", "prod", 5_000,
                2_000_000, T0.minusSeconds(600), "ab", "none", GIB), new byte[0]);

        // when it is due under a 2 GiB budget, on a host with room to spare
        rehearsals(T0, catalog, 2 * GIB, new ScratchClusters.Room(100 * GIB, OptionalLong.of(16 * GIB)))
                .rehearseDue();

        // then nothing was made (the stand-in throws if it were), and the record says what it would have needed
        assertThat(rows).extracting(Rehearsal::clusterId, Rehearsal::verdict, Rehearsal::snapshotId)
                .containsExactly(tuple("prod", Rehearsal.Verdict.FAILED, "snap-big"));
        assertThat(rows.get(0).reason()).isEqualTo("refused before anything started: it needs about 5248 MiB of "
                + "disk, more than the scratch budget of 2048 MiB (snapshot snap-big of 1024 MiB, 3 members)");
    }

    @Test
    void aRehearsalThatFitsTheBudgetButNotTheMemoryAvailableIsRefusedToo() {
        InMemorySnapshotCatalog catalog = new InMemorySnapshotCatalog().add(new SnapshotRef("snap-1", "prod", 5_000,
                20_000, T0.minusSeconds(600), "ab", "none", 100L * 1024 * 1024), new byte[0]);

        rehearsals(T0, catalog, 2 * GIB, new ScratchClusters.Room(100 * GIB, OptionalLong.of(200L * 1024 * 1024)))
                .rehearseDue();

        assertThat(rows.get(0).reason()).isEqualTo("refused before anything started: its members need about 942 "
                + "MiB of memory, more than the 200 MiB available (snapshot snap-1 of 100 MiB, 3 members)");
    }

    @Test
    void ofTwoReplicasDueAtOnceOnlyTheOneThatClaimsTheClusterRehearsesIt() {
        // given replica b claims prod first (a rehearsal of its own still running, so nothing is recorded yet)
        assertThat(store.claim("prod", "replica-b", T0, T0.plus(Duration.ofHours(12)))).isTrue();

        // when replica a finds prod due a minute later, and again after b's claim has expired
        at(T0.plusSeconds(60), "replica-a").rehearseDue();
        assertThat(rows).as("b's claim holds").isEmpty();
        at(T0.plus(Duration.ofHours(12)).plusSeconds(1), "replica-a").rehearseDue();

        // then a rehearses once the claim is over, and holds the claim for half the interval
        assertThat(rows).extracting(Rehearsal::clusterId).containsExactly("prod");
        assertThat(claims).containsEntry("prod", T0.plus(Duration.ofHours(24)).plusSeconds(1));
    }

    @Test
    void theChangeLogAfterTheSnapshotCountsInTheNeedSoALongOneIsRefusedWhereTheSnapshotAloneWouldFit() {
        // given a 100 MiB snapshot (about 859 MiB of scratch disk alone) and 500 MiB of change log after it
        InMemorySnapshotCatalog catalog = new InMemorySnapshotCatalog().add(new SnapshotRef("snap-1", "prod", 5_000,
                20_000, T0.minusSeconds(600), "ab", "none", 100L * 1024 * 1024), new byte[0]);
        ChangeLogSource changeLog = new ChangeLogSource() {
            @Override
            public List<ReplayPlan.SegmentRef> segments(String clusterId, long after, long upTo) {
                assertThat(after).as("listed from the snapshot's revision").isEqualTo(5_000);
                return List.of(new ReplayPlan.SegmentRef(5_001, 5_001, 6_000, 1_000, "ab", 200L * 1024 * 1024),
                        new ReplayPlan.SegmentRef(6_001, 6_001, 7_000, 1_000, "cd", 300L * 1024 * 1024));
            }

            @Override
            public byte[] segment(String clusterId, long id) {
                throw new AssertionError("nothing is fetched before the room is known");
            }

            @Override
            public Optional<RevisionAt> revisionAt(String clusterId, Instant time) {
                throw new AssertionError("not asked");
            }
        };

        rehearsals(T0, catalog, changeLog, 2 * GIB, new ScratchClusters.Room(100 * GIB, OptionalLong.of(16 * GIB)),
                "replica-a").rehearseDue();

        assertThat(rows.get(0).reason()).isEqualTo("refused before anything started: it needs about 3859 MiB of "
                + "disk, more than the scratch budget of 2048 MiB (snapshot snap-1 of 100 MiB, 500 MiB of change log, "
                + "3 members)");
    }
}
