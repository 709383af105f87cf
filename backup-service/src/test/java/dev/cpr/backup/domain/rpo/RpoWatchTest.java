package dev.cpr.backup.domain.rpo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RpoWatchTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Duration RPO = Duration.ofHours(1);
    private final RpoWatch watch = new RpoWatch(Duration.ofMinutes(5));

    @Test
    void aRecentVerifiedBackupKeepsTheClusterWithinItsRpo() {
        RpoWatch.Decision decision = watch.check(RPO, Optional.of(NOW.minusSeconds(600)), Optional.of(NOW.minusSeconds(600)), NOW);

        assertThat(decision.breached()).isFalse();
        assertThat(decision.attempt()).isFalse();
    }

    @Test
    void noVerifiedBackupAtAllIsABreachAndTriggersABackup() {
        RpoWatch.Decision decision = watch.check(RPO, Optional.empty(), Optional.empty(), NOW);

        assertThat(decision.breached()).isTrue();
        assertThat(decision.attempt()).isTrue();
        assertThat(decision.reason()).contains("no verified backup");
    }

    @Test
    void aBreachRetriesOnlyAfterTheRetryInterval() {
        Optional<Instant> stale = Optional.of(NOW.minus(Duration.ofHours(2)));

        assertThat(watch.check(RPO, stale, Optional.of(NOW.minusSeconds(60)), NOW).attempt()).isFalse();
        assertThat(watch.check(RPO, stale, Optional.of(NOW.minusSeconds(300)), NOW).attempt()).isTrue();
        assertThat(watch.check(RPO, stale, Optional.of(NOW.minusSeconds(60)), NOW).breached()).isTrue();
    }
}
