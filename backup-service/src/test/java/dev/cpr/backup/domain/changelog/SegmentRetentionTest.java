package dev.cpr.backup.domain.changelog;

import static dev.cpr.backup.domain.changelog.Changes.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.changelog.Segment;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SegmentRetentionTest {

    private static final List<StoredSegment> LOG = List.of(segment(101, 150), segment(151, 200), segment(201, 260),
            segment(261, 300));

    @Test
    void aClusterWithNoVerifiedSnapshotKeepsEverySegment() {
        // when
        OptionalLong line = SegmentRetention.neededAfter(List.of());
        // then
        assertThat(line).isEmpty();
        assertThat(SegmentRetention.expired(LOG, line)).isEmpty();
    }

    @Test
    void segmentsWhollyAtOrBeforeTheOldestSnapshotAreDeleted() {
        // given verified snapshots at 200 and 280
        OptionalLong line = SegmentRetention.neededAfter(List.of(280L, 200L));
        // when
        List<StoredSegment> expired = SegmentRetention.expired(LOG, line);
        // then 151..200 ends exactly at the snapshot: a restore from 200 starts at 201
        assertThat(expired).extracting(s -> s.segment().firstRevision()).containsExactly(101L, 151L);
    }

    @Test
    void aSegmentStraddlingTheOldestSnapshotsRevisionIsKept() {
        // given the oldest verified snapshot at 230, inside 201..260
        List<StoredSegment> expired = SegmentRetention.expired(LOG, SegmentRetention.neededAfter(List.of(230L, 290L)));
        // then 201..260 holds 231..260, which a restore from 230 replays
        assertThat(expired).extracting(s -> s.segment().lastRevision()).containsExactly(150L, 200L);
    }

    @Test
    void theLowestRevisionDecidesNotTheSnapshotCreatedFirst() {
        // given a snapshot of the history before a restore at 500 (created first) and the current chain's at 150
        OptionalLong line = SegmentRetention.neededAfter(List.of(500L, 150L));
        // then the current chain's segments after 150 stay
        assertThat(line).hasValue(150);
        assertThat(SegmentRetention.expired(LOG, line)).extracting(s -> s.segment().firstRevision())
                .containsExactly(101L);
    }

    @Test
    void snapshotsWithoutARevisionDoNotCount() {
        // given a verified snapshot whose revision is not known
        OptionalLong line = SegmentRetention.neededAfter(Arrays.asList(null, 300L));
        // then only the known one draws the line
        assertThat(line).hasValue(300);
        assertThat(SegmentRetention.neededAfter(Arrays.asList((Long) null))).isEmpty();
    }

    @Test
    void segmentsAllAfterTheOldestSnapshotAreKept() {
        assertThat(SegmentRetention.expired(LOG, SegmentRetention.neededAfter(List.of(100L)))).isEmpty();
    }

    private static StoredSegment segment(long first, long last) {
        return new StoredSegment(new Segment("prod", first, last, (int) (last - first + 1), "ab".repeat(32),
                T0.plusSeconds(first), T0.plusSeconds(last), T0.plusSeconds(last)), "prod/changes-" + first + ".cprlog",
                10);
    }
}
