package dev.cpr.contracts.changelog;

import static dev.cpr.contracts.changelog.Changes.T0;
import static dev.cpr.contracts.changelog.Changes.bytes;
import static dev.cpr.contracts.changelog.Changes.delete;
import static dev.cpr.contracts.changelog.Changes.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentCodecTest {

    private static final List<Change> CHANGES = List.of(
            put(11, "/registry/pods/a", "v1"),
            Change.put(12, bytes("/registry/leases/x"), new byte[] {0, (byte) 0xff, 7}, 0x694d8f1c2a3b4c5dL, 12, 1,
                    T0.plusMillis(12)),
            // one transaction, two keys: the same revision twice
            put(13, "/txn/one", "1"),
            delete(13, "/txn/two"));

    @Test
    void aSegmentReadBackHoldsEveryChangeAsWrittenWithItsHeader() throws Exception {
        // when
        SegmentCodec.Encoded encoded = SegmentCodec.encode("prod-a", CHANGES, T0, T0.plusSeconds(1));
        SegmentCodec.Decoded decoded = SegmentCodec.decode(encoded.bytes(), encoded.segment().sha256());
        // then
        assertThat(decoded.changes()).containsExactlyElementsOf(CHANGES);
        assertThat(decoded.segment()).isEqualTo(encoded.segment());
        assertThat(encoded.segment().firstRevision()).isEqualTo(11);
        assertThat(encoded.segment().lastRevision()).isEqualTo(13);
        assertThat(encoded.segment().count()).isEqualTo(4);
        assertThat(decoded.changes().get(1).leaseId()).isEqualTo(0x694d8f1c2a3b4c5dL);
    }

    @Test
    void aFlippedBitAnywhereIsCaughtBySegmentsOwnSha256() {
        // given
        byte[] bytes = SegmentCodec.encode("prod-a", CHANGES, T0, T0.plusSeconds(1)).bytes();
        for (int at : new int[] {0, 10, bytes.length / 2, bytes.length - 40, bytes.length - 1}) {
            byte[] flipped = bytes.clone();
            flipped[at] ^= 0x10;
            // when / then
            assertThatThrownBy(() -> SegmentCodec.decode(flipped, null)).as("bit flipped at byte " + at)
                    .isInstanceOf(CorruptSegmentException.class)
                    .hasMessageContaining("truncated or altered");
        }
    }

    @Test
    void aTruncatedSegmentIsCaught() {
        // given
        byte[] bytes = SegmentCodec.encode("prod-a", CHANGES, T0, T0.plusSeconds(1)).bytes();
        // when / then
        assertThatThrownBy(() -> SegmentCodec.decode(Arrays.copyOf(bytes, bytes.length - 20), null))
                .isInstanceOf(CorruptSegmentException.class).hasMessageContaining("truncated or altered");
        assertThatThrownBy(() -> SegmentCodec.decode(Arrays.copyOf(bytes, 12), null))
                .isInstanceOf(CorruptSegmentException.class).hasMessageContaining("shorter than any segment");
    }

    @Test
    void aSegmentThatIsNotTheOneCatalogedIsNamedWithBothSha256s() {
        // given
        SegmentCodec.Encoded other = SegmentCodec.encode("prod-a", List.of(put(11, "/k", "other")), T0, T0);
        String cataloged = SegmentCodec.encode("prod-a", CHANGES, T0, T0.plusSeconds(1)).segment().sha256();
        // when / then
        assertThatThrownBy(() -> SegmentCodec.decode(other.bytes(), cataloged))
                .isInstanceOf(CorruptSegmentException.class)
                .hasMessageContaining(other.segment().sha256()).hasMessageContaining("the catalog recorded " + cataloged);
    }

    @Test
    void changesWithAMissingRevisionAreNotASegment() {
        assertThatThrownBy(() -> SegmentCodec.encode("prod-a", List.of(put(11, "/a", "1"), put(13, "/b", "2")), T0, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from revision 11 to 13");
    }
}
