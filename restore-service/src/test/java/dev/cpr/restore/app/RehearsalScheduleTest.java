package dev.cpr.restore.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.rehearsal.Rehearsal;
import dev.cpr.restore.domain.rehearsal.ScratchPlanPorts;
import dev.cpr.restore.domain.snapshot.InMemorySnapshotCatalog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The schedule: which clusters are rehearsed and when one is due again; a rehearsal with nothing to restore. */
class RehearsalScheduleTest {

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
    };
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static ClusterSpec cluster(String id, ClusterKind kind) {
        return new ClusterSpec(id, kind, null, null, List.of(new MemberSpec("m-1", "http://127.0.0.1:1",
                "http://127.0.0.1:2", "/var/lib/etcd/" + id, null)), null);
    }

    private Rehearsals at(Instant now) {
        // an empty catalog: a rehearsal ends before any scratch cluster is made
        ScratchPlanPorts ports = new ScratchPlanPorts(null, null, new InMemorySnapshotCatalog(), Sleeper.REAL, null,
                null, null);
        ScratchClusters never = new ScratchClusters() {
            @Override
            public Scratch create(ClusterSpec source, String scratchId) {
                throw new AssertionError("no scratch cluster without a snapshot");
            }

            @Override
            public List<String> tearDown(Scratch scratch) {
                throw new AssertionError("nothing to tear down");
            }
        };
        return new Rehearsals(new Inventory(List.of(PROD, PKS)), ports, never, store, new RehearsalMetrics(registry),
                Clock.fixed(now, ZoneOffset.UTC), new Rehearsals.Settings(true, Duration.ofHours(24), List.of()));
    }

    @Test
    void everyEtcdClusterIsScheduledAndRehearsedAgainOnlyOnceItsNewestRehearsalIsAnIntervalOld() {
        assertThat(at(T0).scheduled()).extracting(ClusterSpec::id).containsExactly("prod");

        // given no rehearsal yet: the first look rehearses prod (and FAILED: there is no snapshot), not the BOSH cluster
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
}
