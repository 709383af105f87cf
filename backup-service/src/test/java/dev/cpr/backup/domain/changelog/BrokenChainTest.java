package dev.cpr.backup.domain.changelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokenChainTest {

    private static final Instant T = Instant.parse("2026-12-03T22:00:00Z");

    @Test
    void aReplayFromASnapshotBeforeTheBrokenPartStopsAtItsFirstRevision() {
        List<BrokenChain> broken = List.of(part(151, 160), part(201, 210));

        assertThat(BrokenChain.firstUnrestorable(100, broken)).isEqualTo(151);
        assertThat(BrokenChain.firstUnrestorable(150, broken)).isEqualTo(151);
    }

    @Test
    void aSnapshotInsideTheBrokenPartRestoresNothingAfterItself() {
        // the broken segment 151..160 holds 156..160, which a replay from 155 needs
        assertThat(BrokenChain.firstUnrestorable(155, List.of(part(151, 160)))).isEqualTo(151).isLessThan(155);
    }

    @Test
    void aSnapshotAtOrPastTheBrokenPartIsNotCutByIt() {
        List<BrokenChain> broken = List.of(part(151, 160), part(201, 210));

        assertThat(BrokenChain.firstUnrestorable(160, broken)).isEqualTo(201);
        assertThat(BrokenChain.firstUnrestorable(210, broken)).isEqualTo(Long.MAX_VALUE);
        assertThat(BrokenChain.firstUnrestorable(5, List.of())).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theIncidentIdIsTheSameForEveryPassThatFindsThePart() {
        BrokenChain first = part(151, 160);
        BrokenChain again = new BrokenChain("prod", 151, 160, "found again", T.plusSeconds(600));

        assertThat(again.incidentId()).isEqualTo(first.incidentId()).isEqualTo("changelog-broken-prod-151");
        assertThat(first.describe()).isEqualTo("not restorable from revision 151 (to 160): corrupt");
    }

    @Test
    void aPartEndingBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> part(160, 151)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends (151) before it starts (160)");
    }

    private static BrokenChain part(long from, long to) {
        return new BrokenChain("prod", from, to, "corrupt", T);
    }
}
