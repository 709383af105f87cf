package dev.cpr.backup.domain.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.backup.adapters.store.LocalArtifactStore;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTakerTest {

    private static final ClusterSpec CLUSTER = new ClusterSpec("c1", ClusterKind.ETCD, null, null, List.of(
            new MemberSpec("m1", "http://127.0.0.1:1", "http://127.0.0.1:2", "/d1", null),
            new MemberSpec("m2", "http://127.0.0.1:3", "http://127.0.0.1:4", "/d2", null),
            new MemberSpec("m3", "http://127.0.0.1:5", "http://127.0.0.1:6", "/d3", null)), null);

    @TempDir
    Path root;

    @Test
    void skipsAMemberThatIsDownAndStreamsFromTheNextOne() throws IOException {
        byte[] snapshot = FakeSnapshots.snapshot(64, 7);
        FakeSource source = new FakeSource(snapshot, Set.of("m1"), -1);
        List<String> chosen = new ArrayList<>();

        TakenSnapshot taken = taker(source).take(CLUSTER, "c1-snap", Compression.NONE, chosen::add);

        assertThat(taken.member()).isEqualTo("m2");
        assertThat(chosen).containsExactly("m2");
        assertThat(taken.location()).isEqualTo("c1/c1-snap.db");
        assertThat(Files.readAllBytes(root.resolve(taken.location()))).isEqualTo(snapshot);
        assertThat(taken.sha256()).isEqualTo(FakeSnapshots.sha256Hex(snapshot));
        assertThat(taken.sizeBytes()).isEqualTo(snapshot.length);
        assertThat(taken.before()).isEqualTo(new MemberState(42, 10));
        assertThat(taken.exact()).isTrue();
    }

    @Test
    void storesGzipWhoseHashIsThatOfTheStoredFile() throws IOException {
        byte[] snapshot = FakeSnapshots.snapshot(64, 8);

        TakenSnapshot taken = taker(new FakeSource(snapshot, Set.of(), -1)).take(CLUSTER, "c1-gz", Compression.GZIP, m -> { });

        Path file = root.resolve(taken.location());
        assertThat(file.getFileName().toString()).endsWith(".db.gz");
        assertThat(taken.sha256()).isEqualTo(FakeSnapshots.sha256Hex(Files.readAllBytes(file)));
        assertThat(taken.snapshotBytes()).isEqualTo(snapshot.length);
        try (InputStream in = Compression.GZIP.decompress(Files.newInputStream(file))) {
            assertThat(in.readAllBytes()).isEqualTo(snapshot);
        }
    }

    @Test
    void aStreamThatBreaksOffLeavesNoFileBehind() throws IOException {
        FakeSource source = new FakeSource(FakeSnapshots.snapshot(64, 9), Set.of(), 10_000);

        assertThatThrownBy(() -> taker(source).take(CLUSTER, "c1-broken", Compression.NONE, m -> { }))
                .isInstanceOf(SnapshotFailedException.class)
                .hasMessageContaining("m1")
                .hasMessageContaining("broke off");
        assertThat(filesUnder(root)).isEmpty();
    }

    @Test
    void aSnapshotWhoseTrailerDoesNotMatchIsNotKept() throws IOException {
        byte[] snapshot = FakeSnapshots.snapshot(64, 10);
        snapshot[100] ^= 0x40;

        assertThatThrownBy(() -> taker(new FakeSource(snapshot, Set.of(), -1)).take(CLUSTER, "c1-bad", Compression.GZIP, m -> { }))
                .isInstanceOf(SnapshotFailedException.class)
                .hasMessageContaining("failed its check");
        assertThat(filesUnder(root)).isEmpty();
    }

    @Test
    void failsNamingEveryMemberWhenNoneAnswers() {
        FakeSource source = new FakeSource(FakeSnapshots.snapshot(1, 11), Set.of("m1", "m2", "m3"), -1);

        assertThatThrownBy(() -> taker(source).take(CLUSTER, "c1-none", Compression.NONE, m -> { }))
                .isInstanceOf(SnapshotFailedException.class)
                .hasMessageContaining("m1 (down)").hasMessageContaining("m2 (down)").hasMessageContaining("m3 (down)");
    }

    @Test
    void theTimeTakenIsSplitIntoTheStreamTheSecondProbeAndMakingTheFileDurable() {
        // a clock that moves on 100 ms each time it is read: start, streamed, probed, committed
        Clock ticking = new Clock() {
            private java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                now = now.plusMillis(100);
                return now;
            }
        };
        SnapshotTaker taker = new SnapshotTaker(new FakeSource(FakeSnapshots.snapshot(64, 11), Set.of(), -1),
                new LocalArtifactStore(root), ticking);

        TakenSnapshot taken = taker.take(CLUSTER, "c1-timed", Compression.NONE, m -> { });

        assertThat(taken.phases()).isEqualTo(new TakenSnapshot.Phases(java.time.Duration.ofMillis(100),
                java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(100)));
        assertThat(taken.duration()).isEqualTo(java.time.Duration.ofMillis(300));
        assertThat(taken.phases().describe())
                .isEqualTo("phases: stream 100 ms, second probe 100 ms, fsync and rename 100 ms");
    }

    private SnapshotTaker taker(SnapshotSource source) {
        return new SnapshotTaker(source, new LocalArtifactStore(root), Clock.systemUTC());
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    /** Serves one snapshot; members in {@code down} do not answer; breaks after {@code breakAfter} bytes if >= 0. */
    private record FakeSource(byte[] snapshot, Set<String> down, int breakAfter) implements SnapshotSource {

        @Override
        public MemberState probe(ClusterSpec cluster, MemberSpec member) {
            if (down.contains(member.name())) {
                throw new MemberUnavailableException("down", null);
            }
            return new MemberState(42, 10);
        }

        @Override
        public void stream(ClusterSpec cluster, MemberSpec member, OutputStream out) {
            try {
                int limit = breakAfter >= 0 ? breakAfter : snapshot.length;
                for (int off = 0; off < limit; off += 1000) {
                    out.write(snapshot, off, Math.min(1000, limit - off));
                }
                if (breakAfter >= 0) {
                    throw new IllegalStateException("connection reset by peer");
                }
            } catch (IOException e) {
                throw new SnapshotFailedException(e.getMessage(), member.name(), e);
            }
        }
    }

}
