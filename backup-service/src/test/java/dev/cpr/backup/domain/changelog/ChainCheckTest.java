package dev.cpr.backup.domain.changelog;

import static dev.cpr.backup.domain.changelog.Changes.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.changelog.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainCheckTest {

    @Test
    void segmentsRunningOnFromTheSnapshotRevisionAreUnbroken() {
        // given a snapshot at 100 and segments 101..150, 151..151, 152..180
        List<Segment> segments = List.of(segment(152, 180), segment(101, 150), segment(151, 151));
        // when
        ChainCheck.Report report = ChainCheck.check(100, segments);
        // then
        assertThat(report.unbroken()).isTrue();
        assertThat(report.coveredTo()).isEqualTo(180);
        assertThat(report.segments()).isEqualTo(3);
        assertThat(report.coveredFrom()).isEqualTo(T0.plusSeconds(101));
    }

    @Test
    void aMissingRunOfRevisionsIsNamedAsAGap() {
        // when
        ChainCheck.Report report = ChainCheck.check(100, List.of(segment(101, 150), segment(156, 170)));
        // then
        assertThat(report.breaks()).containsExactly(new ChainCheck.Break(ChainCheck.BreakKind.GAP, 150, 151, 155));
        assertThat(report.breaks().get(0).describe()).isEqualTo("gap: revisions 151..155 are missing after 150");
        assertThat(report.coveredTo()).isEqualTo(150);
    }

    @Test
    void aLogThatDoesNotStartRightAfterTheSnapshotHasAGapAtOnce() {
        // when
        ChainCheck.Report report = ChainCheck.check(100, List.of(segment(102, 150)));
        // then
        assertThat(report.breaks()).extracting(ChainCheck.Break::describe)
                .containsExactly("gap: revisions 101..101 are missing after 100");
        assertThat(report.coveredTo()).isEqualTo(100);
        assertThat(report.coveredUntil()).isNull();
    }

    @Test
    void revisionsInTwoSegmentsAreNamedAsAnOverlap() {
        // when
        ChainCheck.Report report = ChainCheck.check(100, List.of(segment(101, 150), segment(140, 160)));
        // then
        assertThat(report.breaks()).extracting(ChainCheck.Break::describe)
                .containsExactly("overlap: revisions 140..150 are in two segments");
    }

    @Test
    void aSegmentOfAnOlderSnapshotRunningPastANewerOneStartsItsChain() {
        // given segments recorded since a snapshot at 50, and a newer snapshot at 120
        List<Segment> segments = List.of(segment(51, 110), segment(111, 130), segment(131, 140));
        // when
        ChainCheck.Report report = ChainCheck.check(120, segments);
        // then
        assertThat(report.unbroken()).isTrue();
        assertThat(report.coveredTo()).isEqualTo(140);
        assertThat(report.segments()).isEqualTo(2);
    }

    private static Segment segment(long first, long last) {
        return new Segment("prod-a", first, last, (int) (last - first + 1), "00", T0.plusSeconds(first),
                T0.plusSeconds(last + 1), T0.plusSeconds(last));
    }
}
