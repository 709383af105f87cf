package dev.cpr.healthmonitor.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AlarmIncidentTrackerTest {

    private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");
    private final AtomicInteger ids = new AtomicInteger();
    private final IncidentTracker tracker = new IncidentTracker(2, () -> "inc-" + ids.incrementAndGet());
    private final FailureClassifier classifier = new FailureClassifier();
    private int polls;

    private List<IncidentDecision> poll(List<String> alarms, String... down) {
        Instant at = T0.plusSeconds(2L * polls++);
        Set<String> downSet = Set.of(down);
        List<MemberObservation> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String name = "etcd-" + i;
            members.add(downSet.contains(name) ? MemberObservation.unhealthy(name, "u" + i, "connection refused")
                    : new MemberObservation(name, "u" + i, alarms.isEmpty(), alarms.isEmpty() ? null : "health=false",
                            i == 1, 10L, 5L, true, alarms.isEmpty() ? 100L : 1000L, null));
        }
        ClusterPoll poll = new ClusterPoll("c1", at, members, Optional.empty(), alarms, 1000L);
        List<IncidentDecision> decisions = tracker.onPoll(classifier.classify(poll),
                poll.members().stream().map(MemberObservation::toHealth).toList(), at);
        decisions.forEach(tracker::applied);
        return decisions;
    }

    private static List<FailureKind> opened(List<IncidentDecision> decisions) {
        return decisions.stream().filter(d -> d instanceof IncidentDecision.Open).map(d -> d.incident().failure())
                .toList();
    }

    @Test
    void aConfirmedNoSpaceAlarmOpensSpaceExhaustedAndNothingElse() {
        poll(List.of("NOSPACE on etcd-1"));

        List<IncidentDecision> decisions = poll(List.of("NOSPACE on etcd-1"));

        assertThat(opened(decisions)).containsExactly(FailureKind.SPACE_EXHAUSTED);
        assertThat(decisions.get(0).incident().failedMembers()).containsExactly("etcd-1");
    }

    @Test
    void anAlarmWithAMemberDownOpensBothEachNamingItsOwnMembers() {
        poll(List.of("NOSPACE on etcd-1"), "etcd-3");

        List<IncidentDecision> decisions = poll(List.of("NOSPACE on etcd-1"), "etcd-3");

        assertThat(opened(decisions)).containsExactlyInAnyOrder(FailureKind.SPACE_EXHAUSTED,
                FailureKind.MEMBER_UNHEALTHY);
        assertThat(decisions).filteredOn(d -> d.incident().failure() == FailureKind.MEMBER_UNHEALTHY)
                .singleElement().satisfies(d -> assertThat(d.incident().failedMembers()).containsExactly("etcd-3"));
    }

    @Test
    void theSpaceIncidentResolvesOnceTheAlarmIsDisarmed() {
        poll(List.of("NOSPACE on etcd-1"));
        poll(List.of("NOSPACE on etcd-1"));
        poll(List.of());

        List<IncidentDecision> decisions = poll(List.of());

        assertThat(decisions).singleElement().isInstanceOfSatisfying(IncidentDecision.Resolve.class,
                resolve -> assertThat(resolve.incident().failure()).isEqualTo(FailureKind.SPACE_EXHAUSTED));
    }

    @Test
    void whileTheQuorumIsLostAnOpenSpaceIncidentIsNeitherResolvedNorDuplicated() {
        poll(List.of("NOSPACE on etcd-1"));
        poll(List.of("NOSPACE on etcd-1"));

        poll(List.of(), "etcd-2", "etcd-3");
        List<IncidentDecision> decisions = poll(List.of(), "etcd-2", "etcd-3");

        assertThat(opened(decisions)).containsExactly(FailureKind.QUORUM_LOST);
        assertThat(tracker.openIncidents()).extracting(OpenIncident::failure)
                .containsExactlyInAnyOrder(FailureKind.SPACE_EXHAUSTED, FailureKind.QUORUM_LOST);
    }
}
