package dev.cpr.backup.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.backup.config.ChangeLogConfig;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A restore starts a new chain: etcd 3.4 restores at the snapshot's own revision, so after a restore the cluster
 * writes again revisions the log holds with other changes. {@link ChangeLogRecorders} must never go on recording
 * the new history after the old one. On fakes: the etcd cluster's identity, the catalogs, the snapshot asked for.
 */
class ChangeLogAfterRestoreTest {

    private static final ClusterSpec PROD = new ClusterSpec("prod", ClusterKind.ETCD, "prod-token", null,
            List.of(new MemberSpec("etcd-1", "http://127.0.0.1:1", "http://127.0.0.1:2", "/tmp/etcd-1", null)), null);
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private final FakeFeed feed = new FakeFeed();
    private final Log log = new Log();
    private final List<BackupUpdate> verified = new CopyOnWriteArrayList<>();
    private final List<String> snapshotsAskedFor = new CopyOnWriteArrayList<>();
    private final List<String> filesDeleted = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final List<ChangeLogRecorders> processes = new CopyOnWriteArrayList<>();
    private final ChangeLogRecorders recorders = process();

    @AfterEach
    void stop() {
        processes.forEach(p -> p.onStop(null));
    }

    /** One backup-service process's recorders, over the same catalog, store and etcd as every other. */
    private ChangeLogRecorders process() {
        ChangeLogMetrics metrics = new ChangeLogMetrics(new SimpleMeterRegistry());
        ChangeLogRecorders process = new ChangeLogRecorders(new Inventory(List.of(PROD)), feed, store(), log,
                backups(), coordinator(), metrics, new ChangeLogRetention(backups(), log, store(), metrics), config(),
                clock);
        processes.add(process);
        return process;
    }

    /** Snapshot s-100 verified, a recorder watching etcd cluster 0xa from 101, and the log durable to 250. */
    private void givenAChainFromEtcdCluster0xaAfterSnapshot100DurableTo250() {
        verified.add(snapshot("s-100", 100, T0));
        feed.identity = new ChangeFeed.Identity(0xa, 250);
        recorders.supervise();
        awaitWatches(101L);
        log.durable(101, 250);
    }

    @Test
    void aClusterRestoredUnderARunningRecorderGetsANewChainAfterASnapshotTakenSinceTheRestore() {
        // given a chain recorded from etcd cluster 0xa after snapshot 100, durable to 250
        givenAChainFromEtcdCluster0xaAfterSnapshot100DurableTo250();

        // when a quorum restore brings the cluster back as etcd cluster 0xb at the snapshot's revision
        clock.now = T0.plusSeconds(60);
        feed.identity = new ChangeFeed.Identity(0xb, 100);
        recorders.supervise();

        // then the old chain is forgotten, its file deleted, a full snapshot asked for, and nothing is recorded until
        // it is verified
        assertThat(log.segments("prod")).isEmpty();
        assertThat(filesDeleted).containsExactly("/tmp/101");
        assertThat(log.lastDurableRevision("prod")).isEmpty();
        assertThat(snapshotsAskedFor).containsExactly("prod");
        assertThat(feed.closed).isEqualTo(1);
        feed.identity = new ChangeFeed.Identity(0xb, 130);
        recorders.supervise();
        assertThat(feed.watchedFrom).as("the snapshot from before the restore does not start the new chain")
                .containsExactly(101L);

        // and the new chain starts after the snapshot taken since the restore
        verified.add(snapshot("s-130", 130, T0.plusSeconds(61)));
        recorders.supervise();
        awaitWatches(101L, 131L);
        recorders.supervise();
        assertThat(feed.watchedFrom).as("the same etcd cluster, ahead of the log: nothing restarts")
                .containsExactly(101L, 131L);
    }

    @Test
    void aClusterBehindTheLogWhenARecorderStartsWasRestoredToo() {
        // given a log durable to 250 (a recorder of an earlier process) and a cluster that now answers at 180
        verified.add(snapshot("s-100", 100, T0));
        log.durable(101, 250);
        feed.identity = new ChangeFeed.Identity(0xc, 180);
        clock.now = T0.plusSeconds(60);

        // when a recorder would start after the log's end
        recorders.supervise();

        // then it does not: revisions 181..250 would be another history's
        assertThat(feed.watchedFrom).isEmpty();
        assertThat(log.segments("prod")).isEmpty();
        assertThat(snapshotsAskedFor).containsExactly("prod");
    }

    @Test
    void aClusterRestoredWhileTheServiceWasDownThatWrotePastTheLogsEndGetsANewChainAfterTheRestart() {
        // given a chain recorded from etcd cluster 0xa after snapshot 100, durable to 250, and the service stopped
        givenAChainFromEtcdCluster0xaAfterSnapshot100DurableTo250();
        recorders.onStop(null);

        // when etcd is restored meanwhile (cluster 0xb) and writes past the log's end, then the service starts again
        feed.identity = new ChangeFeed.Identity(0xb, 400);
        clock.now = T0.plusSeconds(60);
        process().supervise();

        // then the new process does not go on after 250 with another history's revisions
        assertThat(feed.watchedFrom).containsExactly(101L);
        assertThat(log.segments("prod")).isEmpty();
        assertThat(log.etcdClusterId("prod")).isEmpty();
        assertThat(snapshotsAskedFor).containsExactly("prod");
    }

    @Test
    void theSameEtcdClusterAfterARestartGoesOnAfterTheLogsEnd() {
        // given a chain from etcd cluster 0xa durable to 250, and the service stopped
        givenAChainFromEtcdCluster0xaAfterSnapshot100DurableTo250();
        recorders.onStop(null);

        // when the same cluster, ahead of the log, answers the next process
        feed.identity = new ChangeFeed.Identity(0xa, 400);
        process().supervise();

        // then its recorder starts after the last durable revision
        awaitWatches(101L, 251L);
        assertThat(log.etcdClusterId("prod")).hasValue(0xa);
        assertThat(snapshotsAskedFor).isEmpty();
    }

    @Test
    void aClusterThatDoesNotAnswerKeepsItsChain() {
        givenAChainFromEtcdCluster0xaAfterSnapshot100DurableTo250();

        feed.identity = null;
        recorders.supervise();

        assertThat(log.lastDurableRevision("prod")).hasValue(250);
        assertThat(snapshotsAskedFor).isEmpty();
        assertThat(feed.closed).isZero();
    }

    /** A recorder starts its watch on its own thread. */
    private void awaitWatches(Long... from) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(feed.watchedFrom).containsExactly(from));
    }

    private static BackupUpdate snapshot(String id, long revision, Instant createdAt) {
        return new BackupUpdate(id, "prod", "etcd-v3-snapshot", BackupStatus.VERIFIED, "manual", null, null, "etcd-1",
                "/tmp/" + id, "none", 1L, "ab".repeat(32), revision, 1L, createdAt, createdAt, createdAt, "ok", 1);
    }

    /** Named in log lines, and deletes the old chain's files. */
    private ArtifactStore store() {
        return (ArtifactStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ArtifactStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("describe")) {
                        return "the test's store";
                    }
                    if (method.getName().equals("delete")) {
                        filesDeleted.add((String) args[0]);
                        return true;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Only the list of verified snapshots is read. */
    private BackupCatalog backups() {
        return (BackupCatalog) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BackupCatalog.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("list") && args.length == 4 && args[1] == BackupStatus.VERIFIED
                            && args[3] == BackupKind.ETCD_V3_SNAPSHOT) {
                        return List.copyOf(verified);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private BackupCoordinator coordinator() {
        return new BackupCoordinator(null, null, null, null, null, null, clock, null, null, null, null) {
            @Override
            public BackupUpdate triggerForChangeLog(String clusterId) {
                snapshotsAskedFor.add(clusterId);
                return snapshot("asked-" + snapshotsAskedFor.size(), 0, clock.instant());
            }
        };
    }

    private static ChangeLogConfig config() {
        return new ChangeLogConfig() {
            @Override
            public boolean enabled() {
                return false; // supervised by the test, not by the timer
            }

            @Override
            public Duration segmentMaxAge() {
                return Duration.ofSeconds(1);
            }

            @Override
            public int segmentMaxChanges() {
                return 1000;
            }

            @Override
            public Duration restartInterval() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration drillInterval() {
                return Duration.ZERO;
            }

            @Override
            public boolean drillReplay() {
                return false;
            }

            @Override
            public int drillOlderChainsPerRun() {
                return 0;
            }
        };
    }

    /** etcd as the recorders see it: who answers, and the watches started (they deliver nothing here). */
    private static final class FakeFeed implements ChangeFeed {

        volatile Identity identity;
        final List<Long> watchedFrom = new CopyOnWriteArrayList<>();
        volatile int closed;

        @Override
        public Watching watch(ClusterSpec cluster, long fromRevision, Listener listener) {
            watchedFrom.add(fromRevision);
            return () -> closed++;
        }

        @Override
        public Identity identity(ClusterSpec cluster) {
            if (identity == null) {
                throw new IllegalStateException("no member answers");
            }
            return identity;
        }
    }

    /** The change log's catalog in memory. */
    private static final class Log implements ChangeLogCatalog {

        @Override
        public void proven(ProvenChain chain) {
            throw new AssertionError("no chain is replayed here");
        }

        @Override
        public boolean isProven(String clusterId, String fromBackupId, String nextBackupId) {
            throw new AssertionError("no chain is replayed here");
        }

        private final List<StoredSegment> segments = new ArrayList<>();
        private Long durable;
        private Long etcdClusterId;

        synchronized void durable(long first, long last) {
            segments.add(new StoredSegment(new Segment("prod", first, last, (int) (last - first + 1), "ab".repeat(32), T0, T0, T0),
                    "/tmp/" + first, 1));
            durable = last;
        }

        @Override
        public synchronized OptionalLong lastDurableRevision(String clusterId) {
            return durable == null ? OptionalLong.empty() : OptionalLong.of(durable);
        }

        @Override
        public void recorded(Segment segment, String location, long sizeBytes) {
            throw new AssertionError("nothing is recorded here: the watches deliver no change");
        }

        @Override
        public synchronized List<StoredSegment> forget(String clusterId) {
            List<StoredSegment> forgotten = List.copyOf(segments);
            segments.clear();
            durable = null;
            etcdClusterId = null;
            return forgotten;
        }

        @Override
        public synchronized int remove(String clusterId, List<StoredSegment> removed) {
            int before = segments.size();
            segments.removeAll(removed);
            return before - segments.size();
        }

        @Override
        public synchronized OptionalLong etcdClusterId(String clusterId) {
            return etcdClusterId == null ? OptionalLong.empty() : OptionalLong.of(etcdClusterId);
        }

        @Override
        public synchronized void recordingFrom(String clusterId, long id) {
            etcdClusterId = id;
        }

        @Override
        public synchronized List<StoredSegment> segments(String clusterId) {
            return List.copyOf(segments);
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

    private static final class MutableClock extends Clock {

        volatile Instant now = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
