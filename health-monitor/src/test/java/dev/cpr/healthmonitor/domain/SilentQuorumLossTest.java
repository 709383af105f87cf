package dev.cpr.healthmonitor.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A quorum loss where every member only went quiet waits out the grace; one where members refuse (killed) does not.
 * Polls every 2 s, debounce 2, grace 15 s.
 */
class SilentQuorumLossTest {

    private static final Instant T0 = Instant.parse("2026-12-03T06:00:00Z");
    private final AtomicInteger ids = new AtomicInteger();
    private final IncidentTracker tracker = new IncidentTracker(2, Duration.ofSeconds(15),
            () -> "inc-" + ids.incrementAndGet());
    private final FailureClassifier classifier = new FailureClassifier();
    private int polls;

    private List<IncidentDecision> poll(ClusterPoll poll) {
        List<IncidentDecision> decisions = tracker.onPoll(classifier.classify(poll),
                poll.members().stream().map(MemberObservation::toHealth).toList(), poll.polledAt());
        decisions.forEach(tracker::applied);
        return decisions;
    }

    private Instant next() {
        return T0.plusSeconds(2L * polls++);
    }

    @Test
    void aQuorumLossWhereEveryMemberOnlyTimesOutIsClassifiedSilent() {
        assertThat(classifier.classify(Polls.silentPoll(3, T0, "etcd-1", "etcd-2", "etcd-3")).silent()).isTrue();
        assertThat(classifier.classify(Polls.silentPoll(3, T0, "etcd-2", "etcd-3")).silent()).isTrue();
        assertThat(classifier.classify(Polls.poll(3, T0, "etcd-2", "etcd-3")).silent()).as("refused").isFalse();
        assertThat(classifier.classify(Polls.silentPoll(3, T0, "etcd-3")).silent()).as("quorum holds").isFalse();
    }

    @Test
    void aMonitorStallShorterThanTheGraceOpensNothing() {
        // given: six seconds in which no member answers in time (the machine starting four JVMs at once)
        for (int i = 0; i < 4; i++) {
            // when
            List<IncidentDecision> decisions = poll(Polls.silentPoll(3, next(), "etcd-1", "etcd-2", "etcd-3"));
            // then
            assertThat(decisions).isEmpty();
        }
        // and when they answer again, nothing was opened that would need resolving
        assertThat(poll(Polls.poll(3, next()))).isEmpty();
        assertThat(poll(Polls.poll(3, next()))).isEmpty();
        assertThat(tracker.openIncidents()).isEmpty();
    }

    @Test
    void aSilenceThatOutlastsTheGraceOpensTheQuorumLoss() {
        // given: silent from T0
        List<IncidentDecision> decisions = List.of();
        Instant opened = null;
        while (decisions.isEmpty() && polls < 20) {
            Instant at = next();
            decisions = poll(Polls.silentPoll(3, at, "etcd-1", "etcd-2", "etcd-3"));
            opened = at;
        }
        // then: judged from the poll at the end of the grace, confirmed by the next one
        assertThat(decisions).singleElement().isInstanceOfSatisfying(IncidentDecision.Open.class,
                open -> assertThat(open.incident().failure()).isEqualTo(FailureKind.QUORUM_LOST));
        assertThat(opened).isEqualTo(T0.plusSeconds(18));
    }

    @Test
    void killedMembersThatRefuseOpenTheQuorumLossWithoutTheGrace() {
        // given
        poll(Polls.poll(3, next(), "etcd-2", "etcd-3"));
        // when
        List<IncidentDecision> decisions = poll(Polls.poll(3, next(), "etcd-2", "etcd-3"));
        // then
        assertThat(decisions).singleElement().isInstanceOfSatisfying(IncidentDecision.Open.class,
                open -> assertThat(open.incident().failure()).isEqualTo(FailureKind.QUORUM_LOST));
    }

    @Test
    void oneHungMemberWhileTheQuorumHoldsIsStillConfirmedAtOnce() {
        poll(Polls.silentPoll(3, next(), "etcd-2"));
        assertThat(poll(Polls.silentPoll(3, next(), "etcd-2"))).singleElement()
                .isInstanceOfSatisfying(IncidentDecision.Open.class,
                        open -> assertThat(open.incident().failure()).isEqualTo(FailureKind.MEMBER_UNHEALTHY));
    }

    @Test
    void anOpenQuorumLossIsNotResolvedWhileTheMonitorHearsNothing() {
        // given: killed members, the quorum loss open
        poll(Polls.poll(3, next(), "etcd-1", "etcd-2", "etcd-3"));
        poll(Polls.poll(3, next(), "etcd-1", "etcd-2", "etcd-3"));
        assertThat(tracker.openIncidents()).extracting(OpenIncident::failure).contains(FailureKind.QUORUM_LOST);
        // when: the monitor then hears nothing at all for a while
        List<IncidentDecision> decisions = poll(Polls.silentPoll(3, next(), "etcd-1", "etcd-2", "etcd-3"));
        // then
        assertThat(decisions).isEmpty();
        assertThat(tracker.openIncidents()).extracting(OpenIncident::failure).contains(FailureKind.QUORUM_LOST);
    }
}
