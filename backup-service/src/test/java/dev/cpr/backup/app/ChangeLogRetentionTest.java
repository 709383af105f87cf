package dev.cpr.backup.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.backup.domain.changelog.BrokenChain;
import dev.cpr.backup.domain.changelog.ProvenChain;
import dev.cpr.backup.domain.changelog.StoredSegment;
import dev.cpr.backup.domain.kind.BackupKind;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.contracts.changelog.Segment;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Segments go with the snapshots they extend: once every retained verified snapshot is past a segment, its row and
 * then its file are deleted. On fakes that write down, in order, each catalog row and each file deleted.
 */
class ChangeLogRetentionTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private final List<String> deleted = new ArrayList<>();
    private final List<BackupUpdate> backups = new ArrayList<>();
    private final Log log = new Log();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ChangeLogRetention retention = new ChangeLogRetention(backupCatalog(), log, store(),
            new ChangeLogMetrics(registry));

    @Test
    void segmentsEveryRetainedSnapshotIsPastAreDeletedRowsFirstThenFiles() {
        // given verified snapshots at 200 and 300 (the one at 100 expired), segments 101..150, 151..200, 201..260
        backups.add(snapshot("s-200", 200, BackupStatus.VERIFIED));
        backups.add(snapshot("s-300", 300, BackupStatus.VERIFIED));
        log.add(101, 150);
        log.add(151, 200);
        log.add(201, 260);
        // when
        List<StoredSegment> removed = retention.apply("prod");
        // then
        assertThat(removed).extracting(StoredSegment::location).containsExactly("prod/101", "prod/151");
        assertThat(log.segments("prod")).extracting(StoredSegment::location).containsExactly("prod/201");
        assertThat(deleted).as("no row ever points at a deleted file")
                .containsExactly("row prod/101", "row prod/151", "file prod/101", "file prod/151");
        assertThat(registry.get("cpr.changelog.segments.removed").tag("cluster", "prod").tag("reason", "retention")
                .counter().count()).isEqualTo(2);
    }

    @Test
    void thePointsInTimeStartAtTheOldestRetainedSnapshotAndKeepTheirCoverage() {
        // given
        backups.add(snapshot("s-200", 200, BackupStatus.VERIFIED));
        backups.add(snapshot("s-230", 230, BackupStatus.VERIFIED));
        log.add(101, 199);
        log.add(200, 210);
        log.add(211, 260);
        PointsInTime points = new PointsInTime(new Inventory(List.of(cluster())), backupCatalog(), log);
        List<PointsInTime.PointInTime> before = points.of("prod");
        // when
        retention.apply("prod");
        // then the segment holding 201..210 stays (it straddles 200) and no point changed
        assertThat(log.segments("prod")).extracting(StoredSegment::location).containsExactly("prod/200", "prod/211");
        List<PointsInTime.PointInTime> after = points.of("prod");
        assertThat(after).isEqualTo(before);
        assertThat(after).extracting(PointsInTime.PointInTime::revision).containsExactlyInAnyOrder(200L, 230L);
        assertThat(after).extracting(PointsInTime.PointInTime::coveredTo).containsOnly(260L);
        assertThat(after).allSatisfy(p -> assertThat(p.breaks()).isEmpty());
    }

    @Test
    void aClusterWithoutAVerifiedSnapshotKeepsEverySegment() {
        // given only a snapshot whose drill found it corrupt, and one still being drilled
        backups.add(snapshot("s-500", 500, BackupStatus.CORRUPT));
        backups.add(snapshot("s-600", 600, BackupStatus.COMPLETED));
        log.add(101, 150);
        // when
        List<StoredSegment> removed = retention.apply("prod");
        // then
        assertThat(removed).isEmpty();
        assertThat(log.segments("prod")).hasSize(1);
        assertThat(deleted).isEmpty();
    }

    @Test
    void aForgottenChainsFilesAreDeletedAfterItsRows() {
        // given
        log.add(101, 150);
        log.add(151, 200);
        // when
        List<StoredSegment> forgotten = retention.forget("prod");
        // then
        assertThat(forgotten).hasSize(2);
        assertThat(deleted).containsExactly("rows of prod forgotten", "file prod/101", "file prod/151");
        assertThat(registry.get("cpr.changelog.segments.removed").tag("reason", "new-chain").counter().count())
                .isEqualTo(2);
    }

    private static ClusterSpec cluster() {
        return new ClusterSpec("prod", ClusterKind.ETCD, "prod-token", null,
                List.of(new MemberSpec("etcd-1", "http://127.0.0.1:1", "http://127.0.0.1:2", "/tmp/etcd-1", null)),
                null);
    }

    private static BackupUpdate snapshot(String id, long revision, BackupStatus status) {
        Instant at = T0.plusSeconds(revision);
        return new BackupUpdate(id, "prod", "etcd-v3-snapshot", status, "manual", null, null, "etcd-1", "prod/" + id,
                "none", 1L, "ab".repeat(32), revision, 1L, at, at, at, "ok", 1);
    }

    /** The backup catalog as retention and the points in time read it: one cluster's snapshots by status. */
    private BackupCatalog backupCatalog() {
        return (BackupCatalog) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BackupCatalog.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("list") && args.length == 4
                            && args[3] == BackupKind.ETCD_V3_SNAPSHOT) {
                        return backups.stream().filter(b -> args[1] == null || b.status() == args[1]).toList();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private ArtifactStore store() {
        return (ArtifactStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ArtifactStore.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "delete" -> {
                        deleted.add("file " + args[0]);
                        yield true;
                    }
                    case "describe" -> "the test's store";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The change log's rows in memory; each deletion written down with the files'. */
    private final class Log implements ChangeLogCatalog {

        @Override
        public void proven(ProvenChain chain) {
            throw new AssertionError("no chain is replayed here");
        }

        @Override
        public boolean isProven(String clusterId, String fromBackupId, String nextBackupId) {
            throw new AssertionError("no chain is replayed here");
        }

        private final List<StoredSegment> rows = new ArrayList<>();

        void add(long first, long last) {
            rows.add(new StoredSegment(new Segment("prod", first, last, (int) (last - first + 1), "ab".repeat(32),
                    T0.plusSeconds(first), T0.plusSeconds(last), T0.plusSeconds(last)), "prod/" + first, 10));
        }

        @Override
        public OptionalLong lastDurableRevision(String clusterId) {
            return rows.stream().mapToLong(s -> s.segment().lastRevision()).max();
        }

        @Override
        public void recorded(Segment segment, String location, long sizeBytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<StoredSegment> forget(String clusterId) {
            List<StoredSegment> forgotten = List.copyOf(rows);
            rows.clear();
            deleted.add("rows of " + clusterId + " forgotten");
            return forgotten;
        }

        @Override
        public int remove(String clusterId, List<StoredSegment> segments) {
            segments.forEach(s -> deleted.add("row " + s.location()));
            rows.removeAll(segments);
            return segments.size();
        }

        @Override
        public OptionalLong etcdClusterId(String clusterId) {
            return OptionalLong.empty();
        }

        @Override
        public void recordingFrom(String clusterId, long etcdClusterId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<StoredSegment> segments(String clusterId) {
            return List.copyOf(rows);
        }

        @Override
        public boolean markBroken(BrokenChain broken, IncidentOpened incident) {
            throw new AssertionError("nothing is drilled here");
        }

        @Override
        public List<BrokenChain> broken(String clusterId) {
            return List.of();
        }

        @Override
        public List<BrokenChain> openBreaks(String clusterId) {
            return List.of();
        }

        @Override
        public boolean resolveBroken(BrokenChain broken, dev.cpr.contracts.incident.IncidentResolved resolved) {
            throw new AssertionError("nothing is drilled here");
        }
    }
}
