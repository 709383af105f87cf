package dev.cpr.console.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanLossTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static Plan plan(Snapshot snapshot) {
        return new Plan("p", "i", "prod", "etcd-quorum-restore", null, "APPROVAL", "AWAITING_APPROVAL", null, NOW, NOW,
                NOW, null, null, snapshot, null, null, false, List.of());
    }

    @Test
    void aRestoreSaysHowOldItsSnapshotIsAndThatWhatWasWrittenSinceIsLost() {
        Snapshot snapshot = new Snapshot("0c1d2e3f-aaaa", "prod", 20_001, 20_000, NOW.minus(Duration.ofSeconds(312)),
                "ab", "none", 1L);

        assertThat(PlanLoss.describe(plan(snapshot), NOW)).contains("restores snapshot 0c1d2e3f taken 5m 12s ago "
                + "(revision 20,001, 20,000 keys): everything written to prod since then is lost");
    }

    @Test
    void aPlanWithoutASnapshotLosesNothingToSay() {
        assertThat(PlanLoss.describe(plan(null), NOW)).isEmpty();
    }

    @Test
    void theNewestVerifiedBackupIsJudgedAgainstTheRpo() {
        Backup old = new Backup("b1", "prod", "etcd-v3-snapshot", "verified", "manual", null, null, null, 1L, null, 1L,
                1L, NOW.minus(Duration.ofHours(7)), null, null, null);
        Backup corruptNewer = new Backup("b2", "prod", "etcd-v3-snapshot", "corrupt", "manual", null, null, null, 1L,
                null, 1L, 1L, NOW.minus(Duration.ofMinutes(1)), null, null, null);

        BackupFreshness freshness = BackupFreshness.of(List.of(old, corruptNewer), Duration.ofHours(6), NOW);

        assertThat(freshness.newest()).isEqualTo(old);
        assertThat(freshness.breached()).isTrue();
        assertThat(freshness.summary()).isEqualTo("7h 0m ago (RPO 6h 0m)");
        assertThat(BackupFreshness.of(List.of(), null, NOW).summary()).isEqualTo("none verified");
        assertThat(BackupFreshness.of(List.of(), null, NOW).breached()).isFalse();
        // no RPO set is no breach, but a cluster with no verified backup at all is not shown as fine
        assertThat(BackupFreshness.of(List.of(), null, NOW).needsAttention()).isTrue();
        assertThat(BackupFreshness.of(List.of(old), null, NOW).needsAttention()).isFalse();
        assertThat(freshness.needsAttention()).isTrue();
    }
}
