package dev.cpr.restore.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cpr.contracts.etcd.EtcdTools;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.kernel.Sha256;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.adapters.node.LocalNodeControl;
import dev.cpr.restore.adapters.node.LocalScratchClusters;
import dev.cpr.restore.app.RecoveryRequestRefused;
import dev.cpr.restore.app.RehearsalMetrics;
import dev.cpr.restore.app.RehearsalStore;
import dev.cpr.restore.app.Rehearsals;
import dev.cpr.restore.app.ScratchClusters;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ReplayPlan;
import dev.cpr.restore.domain.rehearsal.Rehearsal;
import dev.cpr.restore.domain.rehearsal.ScratchPlanPorts;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #14: the quorum-restore rehearsal on real etcd. A 3-member cluster with a snapshot and a change log after it;
 * the rehearsal restores both into a scratch cluster of 3 local members through the quorum restore's own plan and
 * engine, records the RTO, and leaves nothing of the scratch cluster behind and the real cluster as it was.
 */
class RehearsalOnEtcdTest {

    private final Path dir = Path.of("target/rehearsal-" + UUID.randomUUID().toString().substring(0, 8))
            .toAbsolutePath();

    /** The real cluster's clients the rehearsals were given (its HashKV), closed after each test. */
    private final List<JetcdEtcdAdmin> realAdmins = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException {
        realAdmins.forEach(JetcdEtcdAdmin::close);
        LocalEtcdMember.deleteRecursively(dir);
    }

    @Test
    void aRehearsalRestoresTheNewestPointIntoAScratchClusterRecordsItsRtoAndLeavesTheRealClusterAndNoScratchBehind()
            throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), "rehearsed", 3)) {
            // given a snapshot of 300 keys, then 120 more keys, an overwrite and a delete recorded in the change log
            etcd.putKeys("/app/", 300);
            Path snapshot = dir.resolve("snapshot.db");
            SnapshotRef ref = snapshotInto(snapshot, etcd);
            long snapshotRevision = ref.revision();
            etcd.putKeys("/app/later/", 120);
            etcd.client().getKVClient().put(bytes("/app/000007"), bytes("changed after the snapshot"))
                    .get(10, TimeUnit.SECONDS);
            etcd.client().getKVClient().delete(bytes("/app/000008")).get(10, TimeUnit.SECONDS);
            long newest = etcd.revision();
            AskedChangeLog changeLog = new AskedChangeLog(new RecordedChangeLog(
                    RecordedChangeLog.record(etcd, snapshotRevision, newest, 50)));
            Map<String, String> realKeys = keyspace(etcd);
            Map<String, Long> realPids = pids(etcd);

            // when its quorum restore is rehearsed
            KeepingScratchClusters scratchClusters = new KeepingScratchClusters(new LocalScratchClusters(
                    dir.resolve("scratch"), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(2)));
            InMemoryRehearsals store = new InMemoryRehearsals();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Rehearsals rehearsals = rehearsals(etcd.spec(), ref, snapshot, changeLog, scratchClusters, store, registry);
            long t0 = System.nanoTime();
            Rehearsal done = rehearsals.rehearse("rehearsed");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

            // then it passed: every step of a real quorum loss's plan ran, to the change log's newest point
            assertThat(done.verdict()).as(done.reason()).isEqualTo(Rehearsal.Verdict.PASSED);
            assertThat(done.steps()).extracting(Rehearsal.StepTime::name, Rehearsal.StepTime::state).containsExactly(
                    tuple("fetch-snapshot", "SUCCEEDED"), tuple("fetch-change-log", "SUCCEEDED"),
                    tuple("stop-members", "SKIPPED"), tuple("restore-members", "SUCCEEDED"),
                    tuple("start-members", "SUCCEEDED"), tuple("verify-restore", "SUCCEEDED"),
                    tuple("replay-changes", "SUCCEEDED"), tuple("verify-point", "SUCCEEDED"),
                    tuple("restore-v2-keys", "SKIPPED"), tuple("post-restore-hooks", "SKIPPED"));
            assertThat(done.rtoMillis()).isPositive().isLessThanOrEqualTo(tookMillis);
            assertThat(done.steps().stream().mapToLong(Rehearsal.StepTime::millis).sum()).isPositive()
                    .isLessThanOrEqualTo(done.rtoMillis());
            assertThat(done.snapshotId()).isEqualTo(ref.id());
            assertThat(done.targetRevision()).isEqualTo(newest);
            assertThat(done.revisionReached()).isEqualTo(newest);
            assertThat(done.keyCount()).isEqualTo(realKeys.size());
            // and the scratch cluster's keyspace hash at that revision is the real cluster's
            assertThat(done.reason()).containsPattern("keyspace hash \\d+ at revision " + newest
                    + " equal to the source's");
            assertThat(done.scratchId()).startsWith("rehearsed-rehearsal-").isNotEqualTo("rehearsed");
            // and the scratch cluster held exactly the real cluster's keys and values
            assertThat(scratchClusters.keysAtTearDown).isEqualTo(realKeys);
            assertThat(changeLog.askedFor).as("the change log asked for the real cluster's").containsOnly("rehearsed");

            // and it is recorded, measured, and the scratch cluster is gone: no directory, no etcd process
            assertThat(store.rows).containsExactly(done);
            assertThat(registry.get("cpr.rehearsal.rto.seconds").tag("cluster", "rehearsed").gauge().value())
                    .isEqualTo(done.rtoMillis() / 1000.0);
            assertThat(registry.get("cpr.rehearsals").tags("cluster", "rehearsed", "verdict", "passed").counter()
                    .count()).isEqualTo(1.0);
            assertThat(scratchClusters.dir).doesNotExist();
            assertThat(scratchClusters.pidsAtTearDown).hasSize(3)
                    .allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
            assertThat(scratchClusters.scratchSpec.members()).extracting(MemberSpec::clientUrl)
                    .doesNotContainAnyElementsOf(etcd.spec().members().stream().map(MemberSpec::clientUrl).toList());

            // and the real cluster is untouched: the same processes, the same revision and keys
            assertThat(pids(etcd)).isEqualTo(realPids);
            assertThat(etcd.revision()).isEqualTo(newest);
            assertThat(keyspace(etcd)).isEqualTo(realKeys);
            System.out.printf("[rehearsal] %s: RTO %d ms, whole rehearsal %d ms, steps %s%n", done.verdict(),
                    done.rtoMillis(), tookMillis, done.steps());
        }
    }

    @Test
    void theHashIsNotComparedOnceTheSourceCompactedPastTheRestoredRevisionAndTheVerdictSaysSo() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), "rehearsed", 1)) {
            // given a snapshot, changes after it in the change log, then the real cluster compacted past its end
            etcd.putKeys("/app/", 50);
            Path snapshot = dir.resolve("snapshot.db");
            SnapshotRef ref = snapshotInto(snapshot, etcd);
            long snapshotRevision = ref.revision();
            etcd.putKeys("/app/later/", 20);
            long newest = etcd.revision();
            AskedChangeLog changeLog = new AskedChangeLog(new RecordedChangeLog(
                    RecordedChangeLog.record(etcd, snapshotRevision, newest, 50)));
            etcd.client().getKVClient().put(bytes("/app/after"), bytes("past the change log")).get(10,
                    TimeUnit.SECONDS);
            etcd.client().getKVClient().compact(newest + 1).get(10, TimeUnit.SECONDS);

            // when rehearsed
            Rehearsal done = rehearsals(etcd.spec(), ref, snapshot, changeLog, new LocalScratchClusters(
                    dir.resolve("scratch"), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(2)),
                    new InMemoryRehearsals(), new SimpleMeterRegistry()).rehearse("rehearsed");

            // then it passed on revision and keys, and says the hash was not compared, and why
            assertThat(done.verdict()).as(done.reason()).isEqualTo(Rehearsal.Verdict.PASSED);
            assertThat(done.revisionReached()).isEqualTo(newest);
            assertThat(done.reason()).contains("hash not compared: source compacted past revision " + newest);
        }
    }

    @Test
    void aTlsClusterOfRemoteMembersIsRehearsedOnAPlainHttpScratchClusterAndItsHashComparedOverTls() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.startTls(dir.resolve("etcd"), "rehearsed", 3)) {
            // given a mutual-TLS cluster declared as kubespray declares its etcd hosts: reached over ssh, so the
            // scratch members run the etcd on the PATH, which has no certificate for 127.0.0.1
            ClusterSpec remote = remote(etcd.spec());
            SnapshotThenChanges given = snapshotThenChanges(etcd, 200, 40);
            KeepingScratchClusters scratchClusters = new KeepingScratchClusters(new LocalScratchClusters(
                    dir.resolve("scratch"), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(2)));

            // when its quorum restore is rehearsed
            Rehearsal done = rehearsals(remote, given.ref(), given.file(), given.changeLog(), scratchClusters,
                    new InMemoryRehearsals(), new SimpleMeterRegistry()).rehearse("rehearsed");

            // then the scratch cluster served plain HTTP on loopback, and the rehearsal passed with the source's hash
            assertThat(scratchClusters.scratchSpec.members()).extracting(MemberSpec::clientUrl)
                    .allSatisfy(url -> assertThat(url).startsWith("http://127.0.0.1:"));
            assertThat(scratchClusters.scratchSpec.tls()).isNull();
            assertPassedWithTheSourcesHash(done, given.newest());
        }
    }

    @Test
    void aRevisionBumpConfiguredButNotAppliedByAnEtcdWithoutOneLeavesTheHashCompared() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), "rehearsed", 1)) {
            assumeTrue(etcd.version().startsWith("3.4"), "etcd 3.4 restores without a bump");
            // given the service's default bump configured, and an etcd 3.4 that restores without it
            SnapshotThenChanges given = snapshotThenChanges(etcd, 50, 10);

            // when rehearsed
            Rehearsal done = rehearsals(etcd.spec(), given.ref(), given.file(), given.changeLog(),
                    new LocalScratchClusters(dir.resolve("scratch"), Optional.empty(), Duration.ofSeconds(5),
                            Duration.ofSeconds(2)), new InMemoryRehearsals(), new SimpleMeterRegistry(),
                    EtcdTools.DEFAULT_BUMP_REVISION).rehearse("rehearsed");

            // then the scratch cluster kept the source's revisions, so its hash is compared with the source's
            assertPassedWithTheSourcesHash(done, given.newest());
        }
    }

    /** A snapshot after {@code before} keys, then {@code after} more keys, recorded as the change log holds them. */
    private SnapshotThenChanges snapshotThenChanges(EtcdCluster etcd, int before, int after) throws Exception {
        etcd.putKeys("/app/", before);
        Path file = dir.resolve("snapshot.db");
        SnapshotRef ref = snapshotInto(file, etcd);
        etcd.putKeys("/app/later/", after);
        long newest = etcd.revision();
        return new SnapshotThenChanges(ref, file, newest,
                new RecordedChangeLog(RecordedChangeLog.record(etcd, ref.revision(), newest, 50)));
    }

    private record SnapshotThenChanges(SnapshotRef ref, Path file, long newest, ChangeLogSource changeLog) {
    }

    private static void assertPassedWithTheSourcesHash(Rehearsal done, long newest) {
        assertThat(done.verdict()).as(done.reason()).isEqualTo(Rehearsal.Verdict.PASSED);
        assertThat(done.revisionReached()).isEqualTo(newest);
        assertThat(done.reason()).containsPattern("keyspace hash \\d+ at revision " + newest
                + " equal to the source's");
    }

    /** The spec with every member reached over ssh, as a kubespray inventory declares its etcd hosts. */
    private static ClusterSpec remote(ClusterSpec local) {
        List<MemberSpec> members = local.members().stream().map(m -> new MemberSpec(m.name(), m.clientUrl(),
                m.peerUrl(), m.dataDir(), new NodeAccess(NodeAccess.Type.SSH, null, null, null, "127.0.0.1", 22, "cpr",
                        null, null))).toList();
        return new ClusterSpec(local.id(), local.kind(), local.token(), local.tls(), members, local.policy());
    }

    @Test
    void aClusterNotInTheInventoryIsRefusedAsNotFoundNamingIt() {
        Rehearsals rehearsals = new Rehearsals(new Inventory(List.of()), null, null, new InMemoryRehearsals(),
                new RehearsalMetrics(new SimpleMeterRegistry()), Clock.systemUTC(),
                new Rehearsals.Settings(false, Duration.ofHours(24), List.of(), 2L << 30, "test-replica"));

        assertThatThrownBy(() -> rehearsals.rehearse("nowhere")).isInstanceOfSatisfying(RecoveryRequestRefused.class,
                refused -> {
                    assertThat(refused.reason()).isEqualTo(RecoveryRequestRefused.Reason.NOT_FOUND);
                    assertThat(refused.detail()).contains("'nowhere' is not in the inventory");
                });
    }

    /** A real snapshot of the cluster written to {@code file}, and its catalog entry as backup-service keeps it. */
    private static SnapshotRef snapshotInto(Path file, EtcdCluster etcd) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            etcd.client().getMaintenanceClient().snapshot(out).get(60, TimeUnit.SECONDS);
        }
        return new SnapshotRef(UUID.randomUUID().toString(), "rehearsed", etcd.revision(), etcd.countKeys(),
                Instant.now(), Sha256.hex(file), "none", Files.size(file));
    }

    private Rehearsals rehearsals(ClusterSpec real, SnapshotRef ref, Path snapshot, ChangeLogSource changeLog,
            ScratchClusters scratchClusters, RehearsalStore store, SimpleMeterRegistry registry) {
        return rehearsals(real, ref, snapshot, changeLog, scratchClusters, store, registry, 0);
    }

    private Rehearsals rehearsals(ClusterSpec real, SnapshotRef ref, Path snapshot, ChangeLogSource changeLog,
            ScratchClusters scratchClusters, RehearsalStore store, SimpleMeterRegistry registry, long bump) {
        EtcdQuorumRestorePlan.Settings settings = new EtcdQuorumRestorePlan.Settings(dir.resolve("plan-snapshots"),
                Duration.ofMillis(50), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(2),
                Duration.ofSeconds(30), "etcdctl", "etcdutl", List.of(new EtcdQuorumRestorePlan.Hook("*",
                        "false: the real cluster's hook must never run in a rehearsal")), bump);
        // the service's ports as the rehearsal sees them: the catalog, the change log, local node control, settings
        JetcdEtcdAdmin realEtcd = new JetcdEtcdAdmin(new Inventory(List.of(real)), Duration.ofSeconds(10),
                Duration.ofSeconds(2));
        realAdmins.add(realEtcd);
        ScratchPlanPorts servicePorts = new ScratchPlanPorts(realEtcd, new LocalNodeControl(),
                QuorumRestoreRun.oneSnapshot(ref, snapshot), Sleeper.REAL, changeLog, null, settings);
        return new Rehearsals(new Inventory(List.of(real)), servicePorts, scratchClusters, store,
                new RehearsalMetrics(registry), Clock.systemUTC(),
                new Rehearsals.Settings(false, Duration.ofHours(24), List.of(), 2L << 30, "test-replica"));
    }

    private static Map<String, Long> pids(EtcdCluster etcd) {
        Map<String, Long> pids = new TreeMap<>();
        etcd.members().forEach(m -> pids.put(m.name(), etcd.pid(m.name()).orElseThrow()));
        return pids;
    }

    private static Map<String, String> keyspace(EtcdCluster etcd) throws Exception {
        ByteSequence zero = ByteSequence.from(new byte[] {0});
        Map<String, String> keys = new TreeMap<>();
        for (KeyValue kv : etcd.client().getKVClient().get(zero, GetOption.builder().withRange(zero).build())
                .get(10, TimeUnit.SECONDS).getKvs()) {
            keys.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
        }
        return keys;
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    /** The real scratch clusters, keeping a copy of the scratch keyspace and its members' pids before the tear-down. */
    private static final class KeepingScratchClusters implements ScratchClusters {
        private final ScratchClusters real;
        private Map<String, String> keysAtTearDown;
        private final List<Long> pidsAtTearDown = new ArrayList<>();
        private ClusterSpec scratchSpec;
        private Path dir;

        KeepingScratchClusters(ScratchClusters real) {
            this.real = real;
        }

        @Override
        public Scratch create(ClusterSpec source, String scratchId) throws IOException {
            Scratch scratch = real.create(source, scratchId);
            scratchSpec = scratch.spec();
            dir = scratch.dir();
            return scratch;
        }

        @Override
        public Room room() throws IOException {
            return real.room();
        }

        @Override
        public List<String> tearDown(Scratch scratch) {
            try (EtcdCluster attached = EtcdCluster.attach(scratch.spec())) {
                keysAtTearDown = keyspace(attached);
                scratch.spec().members().forEach(m -> new LocalEtcdMember(m).process()
                        .ifPresent(p -> pidsAtTearDown.add(p.pid())));
            } catch (Exception e) {
                throw new IllegalStateException("the scratch cluster could not be read before its tear-down", e);
            }
            return real.tearDown(scratch);
        }
    }

    /** A change log that notes which cluster each call asked for. */
    private static final class AskedChangeLog implements ChangeLogSource {
        private final ChangeLogSource real;
        private final Set<String> askedFor = ConcurrentHashMap.newKeySet();

        AskedChangeLog(ChangeLogSource real) {
            this.real = real;
        }

        @Override
        public List<ReplayPlan.SegmentRef> segments(String clusterId, long after, long upTo) {
            askedFor.add(clusterId);
            return real.segments(clusterId, after, upTo);
        }

        @Override
        public byte[] segment(String clusterId, long id) {
            askedFor.add(clusterId);
            return real.segment(clusterId, id);
        }

        @Override
        public Optional<RevisionAt> revisionAt(String clusterId, Instant time) {
            askedFor.add(clusterId);
            return real.revisionAt(clusterId, time);
        }
    }

    private static final class InMemoryRehearsals implements RehearsalStore {
        private final List<Rehearsal> rows = new ArrayList<>();

        @Override
        public synchronized void record(Rehearsal rehearsal) {
            rows.add(rehearsal);
        }

        @Override
        public synchronized List<Rehearsal> list(Optional<String> clusterId, int limit) {
            return rows.stream().filter(r -> clusterId.map(r.clusterId()::equals).orElse(true)).limit(limit).toList();
        }

        @Override
        public boolean claim(String clusterId, String replicaId, Instant now, Instant until) {
            throw new AssertionError("a rehearsal asked for by name is run at once, not claimed like a scheduled one");
        }
    }
}
