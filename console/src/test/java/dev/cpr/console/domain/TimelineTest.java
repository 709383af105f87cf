package dev.cpr.console.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void anIncidentReadsFromItsFirstFailedPollThroughItsPlanToItsResolutionInTimeOrder() {
        Incident incident = new Incident("i-1", "prod", "QUORUM_LOST", "RESOLVED", List.of("etcd-2", "etcd-3"),
                "2 of 3 members down", T0, T0.plusSeconds(2), T0.plusSeconds(40));
        Snapshot snapshot = new Snapshot("s-1", "prod", 20_001, 20_000, T0.minusSeconds(300), "ab", "none", 10L);
        Plan plan = new Plan("p-1", "i-1", "prod", "etcd-quorum-restore", null, "APPROVAL", "SUCCEEDED", "restored",
                T0.plusSeconds(3), T0.plusSeconds(30), T0.plusSeconds(2), 28_000L, 300L, snapshot, "ops", T0.plusSeconds(10),
                false, List.of(
                        new Step(0, "stop-members", "", true, "SUCCEEDED", 1, T0.plusSeconds(11), T0.plusSeconds(12), ""),
                        new Step(1, "restore", "", true, "SUCCEEDED", 2, T0.plusSeconds(12), T0.plusSeconds(25), "")));

        List<TimelineEntry> timeline = Timeline.of(incident, List.of(plan));

        assertThat(timeline).extracting(TimelineEntry::what).containsExactly(
                "first failed poll: 2 of 3 members down",
                "incident opened: QUORUM_LOST (etcd-2, etcd-3)",
                "plan etcd-quorum-restore proposed (APPROVAL), from snapshot s-1",
                "plan etcd-quorum-restore decided by ops",
                "step stop-members started",
                "step stop-members succeeded",
                "step restore started",
                "step restore succeeded after 2 attempts",
                "plan etcd-quorum-restore succeeded: restored",
                "incident resolved");
        assertThat(timeline).extracting(TimelineEntry::at).isSorted();
    }

    @Test
    void anOpenIncidentWithoutAPlanHasOnlyItsOwnMoments() {
        Incident incident = new Incident("i-2", "prod", "MEMBER_UNHEALTHY", "OPEN", List.of(), "etcd-1 down", T0,
                T0.plusSeconds(2), null);

        assertThat(Timeline.of(incident, List.of())).extracting(TimelineEntry::what)
                .containsExactly("first failed poll: etcd-1 down", "incident opened: MEMBER_UNHEALTHY");
    }
}
