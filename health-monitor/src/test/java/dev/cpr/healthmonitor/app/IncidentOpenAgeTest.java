package dev.cpr.healthmonitor.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.healthmonitor.domain.OpenIncident;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentOpenAgeTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void ageIsThatOfTheClustersOldestOpenIncident() {
        // given a member incident open 40 minutes and a quorum incident open 5 minutes on cluster a, one on b
        List<OpenIncident> open = List.of(incident("a", FailureKind.MEMBER_UNHEALTHY, 40),
                incident("a", FailureKind.QUORUM_LOST, 5), incident("b", FailureKind.MEMBER_UNHEALTHY, 2));

        // then cluster a's age is the older one's, b's its own
        assertThat(MonitorMetrics.oldestOpenAgeSeconds(open, "a", NOW)).isEqualTo(40 * 60.0);
        assertThat(MonitorMetrics.oldestOpenAgeSeconds(open, "b", NOW)).isEqualTo(120.0);
    }

    @Test
    void ageIsZeroWhenTheClusterHasNoOpenIncident() {
        assertThat(MonitorMetrics.oldestOpenAgeSeconds(List.of(incident("b", FailureKind.QUORUM_LOST, 3)), "a", NOW))
                .isZero();
    }

    private static OpenIncident incident(String cluster, FailureKind failure, int minutesAgo) {
        Instant seen = NOW.minusSeconds(minutesAgo * 60L);
        return new OpenIncident(cluster + "-" + failure, cluster, failure, List.of("etcd-1"), "down", seen, seen);
    }
}
