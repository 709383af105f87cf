package dev.cpr.backup.domain.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.backup.domain.drill.DrillResult.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrillJudgeTest {

    private static final Duration T = Duration.ofMillis(5);

    @Test
    void anExactSnapshotIsVerifiedWhenRevisionAndKeyCountMatch() {
        DrillResult result = DrillJudge.judge(new DrillExpectation("x", 100, 100L, 42), 100, 42, T);

        assertThat(result.verdict()).isEqualTo(Verdict.VERIFIED);
        assertThat(result.restoredKeyCount()).isEqualTo(42);
    }

    @Test
    void aMissingKeyMakesAnExactSnapshotCorrupt() {
        DrillResult result = DrillJudge.judge(new DrillExpectation("x", 100, 100L, 42), 100, 41, T);

        assertThat(result.verdict()).isEqualTo(Verdict.CORRUPT);
        assertThat(result.detail()).contains("41 keys").contains("recorded 42");
    }

    @Test
    void aRevisionOutsideTheCatalogedRangeIsCorrupt() {
        assertThat(DrillJudge.judge(new DrillExpectation("x", 100, 100L, 42), 99, 42, T).verdict())
                .isEqualTo(Verdict.CORRUPT);
        assertThat(DrillJudge.judge(new DrillExpectation("x", 100, 120L, 42), 121, 42, T).verdict())
                .isEqualTo(Verdict.CORRUPT);
    }

    @Test
    void whenWritesRacedTheSnapshotOnlyTheRevisionRangeIsChecked() {
        DrillResult result = DrillJudge.judge(new DrillExpectation("x", 100, 120L, 42), 110, 50, T);

        assertThat(result.verdict()).isEqualTo(Verdict.VERIFIED);
        assertThat(result.detail()).contains("writes raced");
    }
}
