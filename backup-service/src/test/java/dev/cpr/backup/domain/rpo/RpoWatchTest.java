package dev.cpr.backup.domain.rpo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RpoWatchTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(1));
    private static final Duration RPO = Duration.ofHours(1);
    private final RpoWatch watch = new RpoWatch(Duration.ofMinutes(5));

    @Test
    void aRecentVerifiedBackupKeepsTheClusterWithinItsRpo() {
        RpoWatch.Decision decision = watch.check(RPO, Optional.of(NOW.minusSeconds(600)), Optional.of(NOW.minusSeconds(600)),
                LONG_AGO, NOW);

        assertThat(decision.breached()).isFalse();
        assertThat(decision.incident()).isFalse();
        assertThat(decision.attempt()).isFalse();
    }

    @Test
    void noVerifiedBackupAtAllIsABreachAndTriggersABackup() {
        RpoWatch.Decision decision = watch.check(RPO, Optional.empty(), Optional.empty(), LONG_AGO, NOW);

        assertThat(decision.breached()).isTrue();
        assertThat(decision.attempt()).isTrue();
        assertThat(decision.reason()).contains("no verified backup");
    }

    @Test
    void rightAfterStartUpAMissingBackupIsAttemptedButNoIncidentOpensUntilTheRpoHasPassed() {
        Instant started = NOW.minusSeconds(30);

        RpoWatch.Decision early = watch.check(RPO, Optional.empty(), Optional.empty(), started, NOW);
        RpoWatch.Decision later = watch.check(RPO, Optional.empty(), Optional.of(NOW), started, started.plus(RPO));

        assertThat(early.breached()).isTrue();
        assertThat(early.attempt()).isTrue();
        assertThat(early.incident()).isFalse();
        assertThat(later.incident()).isTrue();
        assertThat(later.breachedSince()).isEqualTo(started.plus(RPO));
    }

    @Test
    void aStaleVerifiedBackupOpensAnIncidentNamedAfterWhenTheRpoRanOutAndIsRetriedAtOnce() {
        Instant verified = NOW.minus(Duration.ofHours(2));

        RpoWatch.Decision decision = watch.check(RPO, Optional.of(verified), Optional.of(verified), NOW, NOW);

        assertThat(decision.incident()).as("stale data is a breach even right after start-up").isTrue();
        assertThat(decision.attempt()).as("the newest attempt is the verified backup itself").isTrue();
        assertThat(decision.breachedSince()).isEqualTo(verified.plus(RPO));
        assertThat(decision.incidentId("prod-a")).isEqualTo("backup-rpo-prod-a-" + verified.plus(RPO).getEpochSecond())
                .as("every replica derives the same id")
                .isEqualTo(watch.check(RPO, Optional.of(verified), Optional.of(verified), LONG_AGO, NOW.plusSeconds(9))
                        .incidentId("prod-a"));
    }

    @Test
    void aBreachRetriesOnlyAfterTheRetryInterval() {
        Optional<Instant> stale = Optional.of(NOW.minus(Duration.ofHours(2)));

        assertThat(watch.check(RPO, stale, Optional.of(NOW.minusSeconds(60)), LONG_AGO, NOW).attempt()).isFalse();
        assertThat(watch.check(RPO, stale, Optional.of(NOW.minusSeconds(300)), LONG_AGO, NOW).attempt()).isTrue();
        assertThat(watch.check(RPO, stale, Optional.of(NOW.minusSeconds(60)), LONG_AGO, NOW).breached()).isTrue();
    }
}
