package dev.cpr.backup.domain.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SnapshotDigestStreamTest {

    @Test
    void aCompleteSnapshotPassesWhateverTheChunkSizes() throws IOException {
        byte[] snapshot = FakeSnapshots.snapshot(40, 1);
        for (int chunk : new int[] {1, 7, 31, 32, 33, 500, 4096, snapshot.length}) {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            SnapshotDigestStream stream = new SnapshotDigestStream(copy);
            for (int off = 0; off < snapshot.length; off += chunk) {
                stream.write(snapshot, off, Math.min(chunk, snapshot.length - off));
            }

            TrailerCheck check = stream.finish();

            assertThat(check.valid()).as("chunk size %d: %s", chunk, check.detail()).isTrue();
            assertThat(check.snapshotBytes()).isEqualTo(snapshot.length);
            assertThat(copy.toByteArray()).as("passes bytes through unchanged").isEqualTo(snapshot);
            assertThat(stream.wholeSha256()).as("sha256 of all bytes, trailer included")
                    .isEqualTo(FakeSnapshots.sha256Hex(snapshot));
        }
    }

    @Test
    void aFlippedBitIsCaughtByTheTrailingHash() throws IOException {
        byte[] snapshot = FakeSnapshots.snapshot(40, 2);
        snapshot[snapshot.length / 3] ^= 0x01;

        TrailerCheck check = check(snapshot);

        assertThat(check.hashPresent()).isTrue();
        assertThat(check.valid()).isFalse();
        assertThat(check.detail()).contains("does not match");
    }

    @Test
    void aTruncatedSnapshotHasNoTrailer() throws IOException {
        byte[] snapshot = FakeSnapshots.snapshot(40, 3);

        TrailerCheck check = check(Arrays.copyOf(snapshot, snapshot.length - 700));

        assertThat(check.hashPresent()).isFalse();
        assertThat(check.valid()).isFalse();
        assertThat(check.detail()).contains("no trailing sha256");
    }

    @Test
    void aSnapshotCutAtABlockBoundaryDoesNotPassEither() throws IOException {
        byte[] snapshot = FakeSnapshots.snapshot(40, 4);

        TrailerCheck check = check(Arrays.copyOf(snapshot, snapshot.length - 512));

        assertThat(check.valid()).isFalse();
    }

    private static TrailerCheck check(byte[] bytes) throws IOException {
        SnapshotDigestStream stream = new SnapshotDigestStream(OutputStreamNull.INSTANCE);
        stream.write(bytes, 0, bytes.length);
        return stream.finish();
    }

    private static final class OutputStreamNull {
        static final java.io.OutputStream INSTANCE = java.io.OutputStream.nullOutputStream();
    }
}
