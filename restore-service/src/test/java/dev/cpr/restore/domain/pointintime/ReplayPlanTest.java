package dev.cpr.restore.domain.pointintime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.changelog.Change;
import dev.cpr.contracts.changelog.CorruptSegmentException;
import dev.cpr.contracts.changelog.SegmentCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {

    private static final Instant T0 = Instant.parse("2026-12-03T06:00:00Z");

    private final Map<Long, byte[]> stored = new HashMap<>();

    @Test
    void segmentsRunningOnFromTheSnapshotToTheTargetAreTheOnesToFetch() throws Exception {
        // given a snapshot at 100 and segments 90..104 (written for an older snapshot), 105..110, 111..120
        List<ReplayPlan.SegmentRef> listed = List.of(ref(111, 120), ref(90, 104), ref(105, 110), ref(121, 130));
        // when
        ReplayPlan plan = ReplayPlan.of(100, 115, listed);
        // then
        assertThat(plan.segments()).extracting(ReplayPlan.SegmentRef::id).containsExactly(90L, 105L, 111L);
        assertThat(plan.revisionCount()).isEqualTo(15);
        assertThat(plan.describe()).isEqualTo("15 revisions 101..115 from 3 segments 90..120");
    }

    @Test
    void aGapBetweenTheSnapshotAndTheTargetIsRefusedNamingTheMissingRevisions() {
        assertThatThrownBy(() -> ReplayPlan.of(100, 120, List.of(ref(101, 105), ref(109, 120))))
                .isInstanceOf(ReplayPlan.Refused.class)
                .hasMessage("gap: revisions 106..108 are in no segment (the change log has 105, then segment 109..120)");
        assertThatThrownBy(() -> ReplayPlan.of(100, 120, List.of(ref(103, 120))))
                .hasMessageStartingWith("gap: revisions 101..102 are in no segment");
    }

    @Test
    void aChainEndingBeforeTheTargetIsRefused() {
        assertThatThrownBy(() -> ReplayPlan.of(100, 130, List.of(ref(101, 110), ref(111, 120))))
                .isInstanceOf(ReplayPlan.Refused.class)
                .hasMessage("gap: revisions 121..130 are in no segment: the change log after snapshot revision 100 "
                        + "ends at 120");
    }

    @Test
    void anOverlapIsRefusedNamingTheRevisionsInTwoSegments() {
        assertThatThrownBy(() -> ReplayPlan.of(100, 120, List.of(ref(101, 110), ref(108, 120))))
                .isInstanceOf(ReplayPlan.Refused.class)
                .hasMessage("overlap: revisions 108..110 are in two segments (segment 108..120 starts inside the one "
                        + "before it)");
    }

    @Test
    void aTargetBeforeTheSnapshotIsRefusedAndTheSnapshotItselfNeedsNoSegment() throws Exception {
        assertThatThrownBy(() -> ReplayPlan.of(100, 99, List.of()))
                .hasMessageContaining("target revision 99 is before the snapshot's revision 100");
        assertThat(ReplayPlan.of(100, 100, List.of(ref(101, 110))).segments()).isEmpty();
    }

    @Test
    void changesAreGroupedByOriginalRevisionAndThoseOutsideTheRangeLeftOut() throws Exception {
        // given a segment 99..103 where 101 wrote two keys in one transaction
        ReplayPlan.SegmentRef segment = store(List.of(put(99, "/old"), put(100, "/snap"), put(101, "/a"),
                delete(101, "/b"), put(102, "/c"), put(103, "/beyond")));
        ReplayPlan plan = ReplayPlan.of(100, 102, List.of(segment));
        // when
        List<ReplayPlan.Revision> revisions = plan.revisions(s -> stored.get(s.id()));
        // then
        assertThat(revisions).extracting(ReplayPlan.Revision::revision).containsExactly(101L, 102L);
        assertThat(revisions.get(0).changes()).extracting(Change::keyText).containsExactly("/a", "/b");
        assertThat(ReplayPlan.lastChangeOfEachKey(revisions)).extracting(Change::keyText)
                .containsExactly("/a", "/b", "/c");
    }

    @Test
    void theLastChangeOfAKeyIsWhatItMustHoldAfterwards() throws Exception {
        ReplayPlan.SegmentRef segment = store(List.of(put(11, "/k"), put(12, "/other"), delete(13, "/k")));
        List<ReplayPlan.Revision> revisions = ReplayPlan.of(10, 13, List.of(segment))
                .revisions(s -> stored.get(s.id()));
        assertThat(ReplayPlan.lastChangeOfEachKey(revisions)).extracting(c -> c.type() + " " + c.keyText())
                .containsExactly("PUT /other", "DELETE /k");
    }

    @Test
    void aBitFlippedSegmentIsRefusedBeforeAnyOfItsChangesIsUsed() throws Exception {
        // given
        ReplayPlan.SegmentRef segment = store(List.of(put(11, "/a"), put(12, "/b")));
        stored.get(11L)[30] ^= 0x01;
        ReplayPlan plan = ReplayPlan.of(10, 12, List.of(segment));
        // when / then
        assertThatThrownBy(() -> plan.revisions(s -> stored.get(s.id())))
                .isInstanceOf(CorruptSegmentException.class).hasMessageContaining("the catalog recorded");
    }

    @Test
    void bytesHoldingOtherRevisionsThanListedAreRefused() throws Exception {
        // given a listing that says 11..12 for bytes that hold 11..13
        ReplayPlan.SegmentRef real = store(List.of(put(11, "/a"), put(12, "/b"), put(13, "/c")));
        ReplayPlan.SegmentRef listed = new ReplayPlan.SegmentRef(11, 11, 12, 2, real.sha256());
        // when / then
        assertThatThrownBy(() -> ReplayPlan.of(10, 12, List.of(listed)).revisions(s -> stored.get(s.id())))
                .isInstanceOf(CorruptSegmentException.class)
                .hasMessage("the bytes of segment 11..12 hold revisions 11..13");
    }

    private ReplayPlan.SegmentRef store(List<Change> changes) {
        SegmentCodec.Encoded encoded = SegmentCodec.encode("c", changes, T0, T0.plusSeconds(1));
        var s = encoded.segment();
        stored.put(s.firstRevision(), encoded.bytes());
        return new ReplayPlan.SegmentRef(s.firstRevision(), s.firstRevision(), s.lastRevision(), s.count(), s.sha256());
    }

    private static ReplayPlan.SegmentRef ref(long first, long last) {
        return new ReplayPlan.SegmentRef(first, first, last, (int) (last - first + 1), "ab".repeat(32));
    }

    private static Change put(long revision, String key) {
        return Change.put(revision, bytes(key), bytes("v" + revision), 0, revision, 1, T0.plusMillis(revision));
    }

    private static Change delete(long revision, String key) {
        return Change.delete(revision, bytes(key), T0.plusMillis(revision));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
