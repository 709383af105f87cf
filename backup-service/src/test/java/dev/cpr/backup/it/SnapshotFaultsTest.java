package dev.cpr.backup.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.backup.adapters.etcd.JetcdSnapshotSource;
import dev.cpr.backup.adapters.etcd.SnapshotVerifier;
import dev.cpr.backup.adapters.store.LocalArtifactStore;
import dev.cpr.backup.app.BackupCoordinator;
import dev.cpr.backup.domain.drill.DrillExpectation;
import dev.cpr.backup.domain.drill.DrillResult;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Compression;
import dev.cpr.backup.domain.snapshot.SnapshotFailedException;
import dev.cpr.backup.domain.snapshot.SnapshotTaker;
import dev.cpr.contracts.backup.BackupUpdate;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.testing.EtcdResource;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults against the real sandbox etcd: disk errors and dead members mid-stream, corrupt copies, racing replicas. */
@QuarkusTest
class SnapshotFaultsTest {

    @org.junit.jupiter.api.BeforeAll
    static void authenticate() {
        Backups.asOperator();
    }

    @org.junit.jupiter.api.AfterAll
    static void forgetToken() {
        Backups.reset();
    }

    @Inject
    JetcdSnapshotSource source;
    @Inject
    SnapshotVerifier verifier;
    @Inject
    BackupCoordinator coordinator;
    @Inject
    ArtifactStore store;

    @TempDir
    Path scratch;

    @Test
    void aDiskErrorMidStreamFailsTheSnapshotAndLeavesNoFile() throws IOException {
        EtcdResource.cluster().putKeys("/faults/disk/", 1000);
        SnapshotTaker taker = new SnapshotTaker(source, new FaultyStore(new LocalArtifactStore(scratch), 32 * 1024, 0, null),
                Clock.systemUTC());

        assertThatThrownBy(() -> taker.take(EtcdResource.cluster().spec(), "disk-full", Compression.NONE, m -> { }))
                .isInstanceOf(SnapshotFailedException.class)
                .hasMessageContaining("No space left on device");
        assertThat(files(scratch)).isEmpty();
    }

    @Test
    void aMemberKilledMidStreamFailsTheSnapshotAndLeavesNoFile() throws Exception {
        EtcdCluster etcd = EtcdResource.cluster();
        putLargeValues(etcd, "/faults/kill/", 1000, 10 * 1024);
        CountDownLatch streaming = new CountDownLatch(1);
        SnapshotTaker taker = new SnapshotTaker(source,
                new FaultyStore(new LocalArtifactStore(scratch), Long.MAX_VALUE, 10, streaming), Clock.systemUTC());
        String[] member = new String[1];
        try {
            CompletableFuture<Object> take = CompletableFuture.supplyAsync(
                    () -> taker.take(etcd.spec(), "killed", Compression.NONE, m -> member[0] = m));
            assertThat(streaming.await(30, TimeUnit.SECONDS)).as("streaming began").isTrue();
            etcd.kill(member[0]);

            assertThatThrownBy(() -> take.get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SnapshotFailedException.class)
                    .hasMessageContaining(member[0]);
            assertThat(files(scratch)).isEmpty();
        } finally {
            if (member[0] != null) {
                etcd.restart(member[0]);
            }
        }
        etcd.awaitHealthy(Duration.ofSeconds(30));
    }

    @Test
    void theDrillItselfCatchesABitFlipAndATruncationEvenWithoutACatalogedHash() throws Exception {
        JsonPath backup = Backups.awaitSettled(Backups.trigger("sandbox", null));
        assertThat(backup.getString("status")).isEqualTo("verified");
        Path original = ((LocalArtifactStore) store).root().resolve(backup.getString("location"));
        byte[] bytes = Files.readAllBytes(original);
        DrillExpectation noHash = new DrillExpectation(null, backup.getLong("revision"), backup.getLong("revision"),
                backup.getLong("keyCount"));

        Path copies = ((LocalArtifactStore) store).root().resolve("copies");
        Files.createDirectories(copies);
        byte[] flipped = bytes.clone();
        flipped[flipped.length / 3] ^= 0x01;
        Files.write(copies.resolve("flipped.db"), flipped);
        Files.write(copies.resolve("truncated.db"), Arrays.copyOf(bytes, bytes.length - 5000));
        Files.write(copies.resolve("intact.db"), bytes);

        DrillResult flippedResult = verifier.drill("test flipped", "copies/flipped.db", Compression.NONE, noHash);
        DrillResult truncatedResult = verifier.drill("test truncated", "copies/truncated.db", Compression.NONE, noHash);
        DrillResult intactResult = verifier.drill("test intact", "copies/intact.db", Compression.NONE, noHash);

        assertThat(flippedResult.verdict()).isEqualTo(DrillResult.Verdict.CORRUPT);
        assertThat(flippedResult.detail()).contains("trailing sha256").contains("does not match");
        assertThat(truncatedResult.verdict()).isEqualTo(DrillResult.Verdict.CORRUPT);
        assertThat(truncatedResult.detail()).contains("no trailing sha256");
        assertThat(intactResult.verdict()).as(intactResult.detail()).isEqualTo(DrillResult.Verdict.VERIFIED);
        assertThat(intactResult.restoredKeyCount()).isEqualTo(backup.getLong("keyCount"));
        // the temp dir is shared with the drills the application runs by itself (a scheduled or incident snapshot
        // may be mid-drill right now): every scratch dir must be gone once they are done, not at this instant
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(files(Path.of(System.getProperty("java.io.tmpdir")))
                .stream().filter(p -> p.toString().contains("cpr-drill-"))).as("scratch dirs are deleted").isEmpty());
    }

    @Test
    void twoReplicasFiringTheSameScheduledSlotTakeOneBackup() throws Exception {
        Instant slot = Instant.parse("2030-01-01T00:00:00Z").plusSeconds(System.nanoTime() % 1_000_000);

        CompletableFuture<Optional<BackupUpdate>> first = CompletableFuture.supplyAsync(
                () -> coordinator.triggerScheduled("sandbox", slot));
        CompletableFuture<Optional<BackupUpdate>> second = CompletableFuture.supplyAsync(
                () -> coordinator.triggerScheduled("sandbox", slot));
        List<Optional<BackupUpdate>> both = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));

        assertThat(both.stream().filter(Optional::isPresent).count()).isEqualTo(1);
        String id = both.stream().flatMap(Optional::stream).findFirst().orElseThrow().backupId();
        assertThat(Backups.awaitSettled(id).getString("status")).isEqualTo("verified");
        assertThat(coordinator.triggerScheduled("sandbox", slot)).as("a late replica").isEmpty();
    }

    private static void putLargeValues(EtcdCluster etcd, String prefix, int count, int size) throws Exception {
        String value = "v".repeat(size);
        for (int start = 0; start < count; start += 50) {
            Op[] puts = new Op[Math.min(50, count - start)];
            for (int i = 0; i < puts.length; i++) {
                puts[i] = Op.put(ByteSequence.from(prefix + (start + i), StandardCharsets.UTF_8),
                        ByteSequence.from(value, StandardCharsets.UTF_8), PutOption.DEFAULT);
            }
            etcd.client().getKVClient().txn().Then(puts).commit().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir, 3)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    /**
     * A real local store whose writes fail after {@code failAfter} bytes ("disk full") or are slowed by
     * {@code delayMillis} per write (a slow disk), counting {@code streaming} down once 1 MiB went through.
     */
    private record FaultyStore(LocalArtifactStore delegate, long failAfter, long delayMillis, CountDownLatch streaming)
            implements ArtifactStore {

        @Override
        public PendingArtifact begin(String clusterId, String fileName) throws IOException {
            PendingArtifact pending = delegate.begin(clusterId, fileName);
            AtomicLong written = new AtomicLong();
            return new PendingArtifact() {
                @Override
                public OutputStream output() throws IOException {
                    return new FilterOutputStream(pending.output()) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            if (written.addAndGet(len) > failAfter) {
                                throw new IOException("No space left on device");
                            }
                            if (streaming != null && written.get() > 1024 * 1024) {
                                streaming.countDown();
                            }
                            if (delayMillis > 0) {
                                try {
                                    Thread.sleep(delayMillis);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                    throw new IOException("interrupted", e);
                                }
                            }
                            out.write(b, off, len);
                        }
                    };
                }

                @Override
                public String commit() throws IOException {
                    return pending.commit();
                }

                @Override
                public void discard() {
                    pending.discard();
                }
            };
        }

        @Override
        public InputStream open(String location) throws IOException {
            return delegate.open(location);
        }

        @Override
        public long size(String location) throws IOException {
            return delegate.size(location);
        }

        @Override
        public boolean delete(String location) throws IOException {
            return delegate.delete(location);
        }

        @Override
        public Optional<Path> localPath(String location) {
            return delegate.localPath(location);
        }

        @Override
        public List<String> list(String clusterId) throws IOException {
            return delegate.list(clusterId);
        }

        @Override
        public String describe() {
            return "faulty " + delegate.describe();
        }
    }
}
