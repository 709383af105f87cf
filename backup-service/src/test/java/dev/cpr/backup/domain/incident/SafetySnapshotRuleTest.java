package dev.cpr.backup.domain.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SafetySnapshotRuleTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private final SafetySnapshotRule rule = new SafetySnapshotRule(Duration.ofMinutes(10));

    @Test
    void aFreshMemberFailureWithQuorumIntactCallsForASnapshot() {
        assertThat(rule.decide(incident(FailureKind.MEMBER_UNHEALTHY, NOW.minusSeconds(5)), NOW).snapshot()).isTrue();
    }

    @Test
    void lostQuorumDoesNotBecauseNoMemberCanServeAConsistentSnapshot() {
        SafetySnapshotRule.Decision decision = rule.decide(incident(FailureKind.QUORUM_LOST, NOW), NOW);

        assertThat(decision.snapshot()).isFalse();
        assertThat(decision.reason()).contains("quorum is lost");
    }

    @Test
    void anIncidentThatIsNotAboutAnEtcdMemberDoesNot() {
        SafetySnapshotRule.Decision decision = rule.decide(incident(FailureKind.BACKUP_RPO_BREACHED, NOW), NOW);

        assertThat(decision.snapshot()).isFalse();
        assertThat(decision.reason()).contains(FailureKind.BACKUP_RPO_BREACHED.label());
    }

    @Test
    void anIncidentReplayedLongAfterItWasDetectedDoesNot() {
        SafetySnapshotRule.Decision decision = rule.decide(incident(FailureKind.MEMBER_UNHEALTHY, NOW.minusSeconds(3600)), NOW);

        assertThat(decision.snapshot()).isFalse();
        assertThat(decision.reason()).contains("older than 600 s");
    }

    private static IncidentOpened incident(FailureKind kind, Instant detectedAt) {
        return new IncidentOpened("inc-1", "c1", kind, List.of("etcd-1"), List.of(), "etcd-1 down", detectedAt, detectedAt);
    }
}
