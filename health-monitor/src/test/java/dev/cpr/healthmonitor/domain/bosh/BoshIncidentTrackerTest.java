package dev.cpr.healthmonitor.domain.bosh;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.healthmonitor.domain.IncidentDecision;
import dev.cpr.healthmonitor.domain.IncidentTracker;
import dev.cpr.healthmonitor.domain.OpenIncident;
import dev.cpr.kernel.MeltdownGuard;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

class BoshIncidentTrackerTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final AtomicInteger ids = new AtomicInteger();
    private final IncidentTracker tracker = new IncidentTracker(2, () -> "inc-" + ids.incrementAndGet());
    private final BoshClassifier classifier = new BoshClassifier("master", new MeltdownGuard(2, 40));
    private int polls;

    private List<IncidentDecision> poll(BoshObservation seen) {
        List<IncidentDecision> decisions = tracker.onBoshPoll(classifier.classify(seen), seen.polledAt());
        decisions.forEach(tracker::applied);
        return decisions;
    }

    private Instant next() {
        return T0.plusSeconds(2L * polls++);
    }

    private List<FailureKind> openKinds() {
        return tracker.openIncidents().stream().map(OpenIncident::failure).toList();
    }

    @Test
    void aFailingJobOpensOneJobFailingIncidentNamingTheInstanceAfterTwoPolls() {
        assertThat(poll(Bosh.seen(next(), null, Bosh.failing(1)))).isEmpty();
        List<IncidentDecision> decisions = poll(Bosh.seen(next(), null, Bosh.failing(1)));
        assertThat(decisions).singleElement().isInstanceOfSatisfying(IncidentDecision.Open.class, open -> {
            assertThat(open.incident().failure()).isEqualTo(FailureKind.BOSH_JOB_FAILING);
            assertThat(open.incident().failedMembers()).containsExactly(Bosh.name(1));
            assertThat(open.incident().firstSeenAt()).isEqualTo(T0);
            assertThat(open.members()).hasSize(3);
        });
        assertThat(poll(Bosh.seen(next(), null, Bosh.failing(1)))).as("not opened twice").isEmpty();
    }

    @Test
    void theJobFailingIncidentResolvesAfterTwoRunningPolls() {
        poll(Bosh.seen(next(), Bosh.failing(0)));
        poll(Bosh.seen(next(), Bosh.failing(0)));
        assertThat(poll(Bosh.seen(next()))).isEmpty();
        assertThat(poll(Bosh.seen(next()))).singleElement().isInstanceOf(IncidentDecision.Resolve.class);
        assertThat(tracker.openIncidents()).isEmpty();
    }

    @Test
    void aMeltdownOpensOneMeltdownIncidentAndNoPerInstanceOnes() {
        poll(Bosh.seen(next(), Bosh.failing(0), Bosh.noVm(1)));
        List<IncidentDecision> decisions = poll(Bosh.seen(next(), Bosh.failing(0), Bosh.noVm(1)));
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.incident().failure()).isEqualTo(FailureKind.BOSH_MELTDOWN);
            assertThat(d.incident().summary()).contains("do not act");
        });
        poll(Bosh.seen(next(), Bosh.failing(0), Bosh.noVm(1)));
        assertThat(openKinds()).containsExactly(FailureKind.BOSH_MELTDOWN);
    }

    @Test
    void whileAMeltdownIsOpenNoPerInstanceIncidentOpensAsItDebouncesAway() {
        poll(Bosh.seen(next(), Bosh.failing(0), Bosh.failing(1)));
        poll(Bosh.seen(next(), Bosh.failing(0), Bosh.failing(1)));
        // one master back: below the threshold, but the meltdown incident is still open for one more poll
        assertThat(poll(Bosh.seen(next(), Bosh.failing(0)))).isEmpty();
        List<IncidentDecision> decisions = poll(Bosh.seen(next(), Bosh.failing(0)));
        assertThat(decisions).singleElement().isInstanceOfSatisfying(IncidentDecision.Resolve.class,
                r -> assertThat(r.incident().failure()).isEqualTo(FailureKind.BOSH_MELTDOWN));
        // then the remaining failure is an ordinary per-instance one
        assertThat(poll(Bosh.seen(next(), Bosh.failing(0)))).singleElement()
                .satisfies(d -> assertThat(d.incident().failure()).isEqualTo(FailureKind.BOSH_JOB_FAILING));
    }

    @Test
    void anOpenPerInstanceIncidentStaysOpenThroughAMeltdown() {
        poll(Bosh.seen(next(), Bosh.failing(0)));
        poll(Bosh.seen(next(), Bosh.failing(0)));
        poll(Bosh.seen(next(), Bosh.failing(0), Bosh.failing(1)));
        poll(Bosh.seen(next(), Bosh.failing(0), Bosh.failing(1)));
        poll(Bosh.seen(next(), Bosh.failing(0), Bosh.failing(1)));
        assertThat(openKinds()).containsExactlyInAnyOrder(FailureKind.BOSH_JOB_FAILING, FailureKind.BOSH_MELTDOWN);
    }

    @Test
    void anUnreachableDirectorOpensDirectorUnreachableAndLeavesOpenInstanceIncidentsAlone() {
        poll(Bosh.seen(next(), Bosh.noVm(0)));
        poll(Bosh.seen(next(), Bosh.noVm(0)));
        poll(Bosh.unreachable(next()));
        List<IncidentDecision> decisions = poll(Bosh.unreachable(next()));
        assertThat(decisions).singleElement()
                .satisfies(d -> assertThat(d.incident().failure()).isEqualTo(FailureKind.BOSH_DIRECTOR_UNREACHABLE));
        poll(Bosh.unreachable(next()));
        assertThat(openKinds()).containsExactlyInAnyOrder(FailureKind.BOSH_VM_MISSING,
                FailureKind.BOSH_DIRECTOR_UNREACHABLE);
        // director back: unreachable resolves after two polls, the VM is still missing
        poll(Bosh.seen(next(), Bosh.noVm(0)));
        assertThat(poll(Bosh.seen(next(), Bosh.noVm(0)))).singleElement()
                .isInstanceOfSatisfying(IncidentDecision.Resolve.class, r ->
                        assertThat(r.incident().failure()).isEqualTo(FailureKind.BOSH_DIRECTOR_UNREACHABLE));
        assertThat(openKinds()).containsExactly(FailureKind.BOSH_VM_MISSING);
    }

    @Test
    void aRebuiltDirectorThatDoesNotKnowTheDeploymentKeepsAnIncidentOpenUntilItDoesAgain() {
        poll(Bosh.unreachable(next()));
        poll(Bosh.unreachable(next()));
        assertThat(openKinds()).containsExactly(FailureKind.BOSH_DIRECTOR_UNREACHABLE);

        // a new, empty director answers: unreachable resolves, deployment-unknown opens
        poll(emptyDirector(next()));
        List<IncidentDecision> decisions = poll(emptyDirector(next()));
        assertThat(decisions).hasSize(2);
        assertThat(openKinds()).containsExactly(FailureKind.BOSH_DEPLOYMENT_UNKNOWN);

        // restored: the director knows the deployment again
        poll(Bosh.seen(next()));
        assertThat(poll(Bosh.seen(next()))).singleElement().isInstanceOfSatisfying(IncidentDecision.Resolve.class,
                r -> assertThat(r.incident().failure()).isEqualTo(FailureKind.BOSH_DEPLOYMENT_UNKNOWN));
        assertThat(openKinds()).isEmpty();
    }

    private static BoshObservation emptyDirector(Instant at) {
        return BoshObservation.deploymentUnknown("c1", "https://10.0.0.6:25555", "d", at, "p-bosh",
                "director error 70000: deployment not found");
    }

    @Test
    void boshIncidentsSurviveARestartWithoutOpeningAgain() {
        tracker.restore(List.of(new OpenIncident("old", "c1", FailureKind.BOSH_JOB_FAILING, List.of(Bosh.name(1)),
                "from before", T0.minusSeconds(60), T0.minusSeconds(58))));
        assertThat(poll(Bosh.seen(next(), null, Bosh.failing(1)))).isEmpty();
        assertThat(poll(Bosh.seen(next(), null, Bosh.failing(1)))).isEmpty();
        assertThat(tracker.openIncidents()).extracting(OpenIncident::id).containsExactly("old");
    }

    @Test
    void anEtcdQuorumLossDoesNotCountAsABoshFailure() {
        // the etcd poll judges only its own kinds: a quorum loss there must not confirm a BOSH kind
        var etcdPoll = dev.cpr.healthmonitor.domain.PollsAccess.quorumLost(T0);
        tracker.onPoll(etcdPoll.classification(), etcdPoll.members(), T0);
        tracker.onPoll(etcdPoll.classification(), etcdPoll.members(), T0.plusSeconds(2));
        // then a failing job still needs its own two polls
        assertThat(poll(Bosh.seen(next(), Bosh.failing(0)))).isEmpty();
        assertThat(poll(Bosh.seen(next(), Bosh.failing(0)))).singleElement()
                .satisfies(d -> assertThat(d.incident().failure()).isEqualTo(FailureKind.BOSH_JOB_FAILING));
    }
}
