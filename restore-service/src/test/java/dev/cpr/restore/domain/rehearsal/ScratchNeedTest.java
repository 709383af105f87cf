package dev.cpr.restore.domain.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ScratchNeedTest {

    private static final long MIB = 1024 * 1024;
    private static final long GIB = 1024 * MIB;

    private static SnapshotRef snapshot(String compression, Long sizeBytes) {
        return new SnapshotRef("snap-1", "prod", 1_000, 10_000, Instant.parse("2026-12-05T01:00:00Z"), "ab",
                compression, sizeBytes);
    }

    @Test
    void aThreeMemberScratchClusterNeedsTheDownloadAndPerMemberTheGrownDatabaseAndItsWriteAheadLog() {
        ScratchNeed need = ScratchNeed.of(snapshot("none", 400 * MIB), 3);

        // 400 + 3 × (500 + 128) MiB of disk; 3 × (2 × 500 + 64) MiB of memory
        assertThat(need.diskBytes()).isEqualTo(2284 * MIB);
        assertThat(need.memoryBytes()).isEqualTo(3192 * MIB);
    }

    @Test
    void aGzippedSnapshotIsCountedAtTenTimesItsStoredSizeOnceUnpacked() {
        ScratchNeed need = ScratchNeed.of(snapshot("gzip", 100 * MIB), 3);

        assertThat(need.diskBytes()).isEqualTo((100 + 3 * (1250 + 128)) * MIB);
        assertThat(need.basis()).isEqualTo("snapshot snap-1 of 100 MiB gzipped (about 1000 MiB unpacked), 3 members");
    }

    @Test
    void aSnapshotWithoutARecordedSizeCannotBeEstimatedAndSaysSo() {
        assertThatThrownBy(() -> ScratchNeed.of(snapshot("none", null), 3))
                .hasMessage("the catalog records no size for snap-1, so the scratch cluster's room cannot be "
                        + "estimated");
    }

    @Test
    void whatFitsTheBudgetTheFreeDiskAndTheAvailableMemoryIsNotRefused() {
        ScratchNeed need = ScratchNeed.of(snapshot("none", 10 * MIB), 3);

        assertThat(need.wontFit(2 * GIB, 50 * GIB, OptionalLong.of(4 * GIB))).isEmpty();
        assertThat(need.wontFit(2 * GIB, 50 * GIB, OptionalLong.empty())).as("memory unknown").isEmpty();
    }

    @Test
    void eachLimitPassedIsNamedWithTheFiguresAndTheBasis() {
        ScratchNeed need = ScratchNeed.of(snapshot("none", 400 * MIB), 3);

        assertThat(need.wontFit(GIB, 50 * GIB, OptionalLong.of(8 * GIB))).contains("it needs about 2284 MiB of "
                + "disk, more than the scratch budget of 1024 MiB (snapshot snap-1 of 400 MiB, 3 members)");
        assertThat(need.wontFit(4 * GIB, GIB, OptionalLong.of(GIB))).contains("it needs about 2284 MiB of disk, "
                + "more than the 1024 MiB free under the scratch directory; its members need about 3192 MiB of "
                + "memory, more than the 1024 MiB available (snapshot snap-1 of 400 MiB, 3 members)");
    }

    @Test
    void theChangeLogReplayedAfterTheSnapshotCountsTwiceOnDiskOnceInTheDatabaseAndOnceInTheWriteAheadLog() {
        ScratchNeed need = ScratchNeed.of(snapshot("none", 400 * MIB), 3, 300 * MIB);

        // 400 + 3 × ((500 + 300) + 128 + 300) MiB of disk; 3 × (2 × 800 + 64) MiB of memory
        assertThat(need.diskBytes()).isEqualTo(4084 * MIB);
        assertThat(need.memoryBytes()).isEqualTo(4992 * MIB);
        assertThat(need.basis()).isEqualTo("snapshot snap-1 of 400 MiB, 300 MiB of change log, 3 members");
    }
}
