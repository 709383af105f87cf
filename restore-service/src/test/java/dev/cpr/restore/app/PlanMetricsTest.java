package dev.cpr.restore.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanMetricsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PlanMetrics metrics = new PlanMetrics(registry, Clock.fixed(NOW, ZoneOffset.UTC),
            new Inventory(List.of()));

    @Test
    void approvalWaitIsTheAgeOfTheClustersOldestWaitingPlan() {
        // given two plans of cluster a waiting 10 and 25 minutes, one of cluster b waiting 1 minute
        metrics.awaitingApproval(List.of(waiting("p1", "a", 10), waiting("p2", "a", 25), waiting("p3", "b", 1)));

        // then each cluster's gauge shows its oldest wait
        assertThat(waitOf("a")).isEqualTo(25 * 60.0);
        assertThat(waitOf("b")).isEqualTo(60.0);
    }

    @Test
    void approvalWaitFallsToZeroOnceNoPlanOfTheClusterWaits() {
        // given cluster a had a waiting plan
        metrics.awaitingApproval(List.of(waiting("p1", "a", 10)));

        // when it was approved (the store no longer lists it)
        metrics.awaitingApproval(List.of());

        // then the series stays, at 0, so the alert resolves instead of going stale
        assertThat(waitOf("a")).isZero();
    }

    @Test
    void everyPlansFailedCounterExistsAtZeroBeforeTheFirstFailure() {
        // the plan-failed alert takes increase(): a series born at 1 would hide the first failure
        for (String plan : PlanNames.ALL) {
            assertThat(registry.get("cpr.restore.plans").tag("plan", plan).tag("outcome", "failed").counter().count())
                    .isZero();
        }
    }

    private double waitOf(String cluster) {
        return registry.get("cpr.restore.approval.wait").tag("cluster", cluster).gauge().value();
    }

    private static RecoveryPlan waiting(String id, String cluster, int minutesAgo) {
        Instant since = NOW.minusSeconds(minutesAgo * 60L);
        return new RecoveryPlan(id, "incident-" + id, cluster, "etcd-quorum-restore", null,
                PlanState.AWAITING_APPROVAL, RecoveryMode.APPROVAL, since, since, since, null, "waits", 1, List.of());
    }
}
