package dev.cpr.restore.domain.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferredIncidentsTest {

    private final DeferredIncidents deferred = new DeferredIncidents();

    private static IncidentOpened incident(String id, String cluster, FailureKind failure) {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");
        return new IncidentOpened(id, cluster, failure, List.of("etcd-2", "etcd-3"), List.of(), "x", now, now);
    }

    @Test
    void theNewestIncidentOfABusyClusterIsPlannedOnceWhenItsPlanEnds() {
        deferred.defer(incident("i-1", "prod", FailureKind.MEMBER_UNHEALTHY));
        deferred.defer(incident("i-2", "prod", FailureKind.QUORUM_LOST));
        deferred.defer(incident("i-9", "other", FailureKind.QUORUM_LOST));

        assertThat(deferred.take("prod")).hasValueSatisfying(i -> assertThat(i.incidentId()).isEqualTo("i-2"));
        assertThat(deferred.take("prod")).isEmpty();
        assertThat(deferred.take("other")).isPresent();
    }

    @Test
    void anIncidentThatResolvedMeanwhileIsForgottenButAnotherOneIsKept() {
        deferred.defer(incident("i-2", "prod", FailureKind.QUORUM_LOST));

        deferred.resolved("prod", "i-1");
        assertThat(deferred.take("prod")).isPresent();

        deferred.defer(incident("i-3", "prod", FailureKind.QUORUM_LOST));
        deferred.resolved("prod", "i-3");
        assertThat(deferred.take("prod")).isEmpty();
    }
}
