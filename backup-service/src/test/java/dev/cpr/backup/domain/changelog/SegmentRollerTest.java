package dev.cpr.backup.domain.changelog;

import static dev.cpr.backup.domain.changelog.Changes.T0;
import static dev.cpr.backup.domain.changelog.Changes.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.changelog.SegmentCodec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SegmentRollerTest {

    private final SegmentRoller roller = new SegmentRoller("prod-a", 3, Duration.ofSeconds(1), 10);

    @Test
    void theSegmentClosesAtItsNthChange() {
        // when
        Optional<SegmentCodec.Encoded> afterTwo = roller.append(List.of(put(11, "/a", "1"), put(12, "/b", "2")), T0);
        Optional<SegmentCodec.Encoded> afterThree = roller.append(List.of(put(13, "/c", "3")), T0);
        // then
        assertThat(afterTwo).isEmpty();
        assertThat(afterThree).hasValueSatisfying(s -> {
            assertThat(s.segment().firstRevision()).isEqualTo(11);
            assertThat(s.segment().lastRevision()).isEqualTo(13);
            assertThat(s.segment().count()).isEqualTo(3);
        });
        assertThat(roller.pending()).isZero();
    }

    @Test
    void aTransactionIsNeverSplitEvenPastTheNthChange() {
        // when one transaction writes four keys
        Optional<SegmentCodec.Encoded> closed = roller.append(List.of(put(11, "/a", "1"), put(11, "/b", "1"),
                put(11, "/c", "1"), put(11, "/d", "1")), T0);
        // then
        assertThat(closed).hasValueSatisfying(s -> {
            assertThat(s.segment().count()).isEqualTo(4);
            assertThat(s.segment().lastRevision()).isEqualTo(11);
        });
    }

    @Test
    void theSegmentClosesOneSecondAfterItsFirstChangeAndNotBefore() {
        // given
        roller.append(List.of(put(11, "/a", "1")), T0);
        Duration sinceFirst = Duration.between(T0, put(11, "/a", "1").seenAt());
        // when
        Optional<SegmentCodec.Encoded> early = roller.tick(T0.plus(sinceFirst).plusMillis(999));
        Optional<SegmentCodec.Encoded> onTime = roller.tick(T0.plus(sinceFirst).plusSeconds(1));
        // then
        assertThat(early).isEmpty();
        assertThat(onTime).hasValueSatisfying(s -> assertThat(s.segment().count()).isEqualTo(1));
        assertThat(roller.tick(T0.plusSeconds(60))).as("nothing open, nothing to close").isEmpty();
    }

    @Test
    void aChangeThatSkipsARevisionIsRefusedNamingBoth() {
        // given
        roller.append(List.of(put(11, "/a", "1")), T0);
        // when / then
        assertThatThrownBy(() -> roller.append(List.of(put(13, "/b", "2")), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cluster prod-a: change at revision 13 after revision 11 (expected 12)");
    }

    @Test
    void theFirstChangeMustFollowTheStartingRevision() {
        assertThatThrownBy(() -> roller.append(List.of(put(12, "/a", "1")), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("revision 12 after revision 10");
    }
}
