package dev.cpr.healthmonitor.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IncidentTrackerTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private final AtomicInteger ids = new AtomicInteger();
    private final IncidentTracker tracker = new IncidentTracker(2, () -> "inc-" + ids.incrementAndGet());
    private final FailureClassifier classifier = new FailureClassifier();
    private int polls;

    /** Runs one poll at the next 2 s tick and applies whatever was decided. */
    private List<IncidentDecision> poll(String... down) {
        return pollOf(3, down);
    }

    /** {@link #poll} of a cluster of {@code size} members. */
    private List<IncidentDecision> pollOf(int size, String... down) {
        Instant at = T0.plusSeconds(2L * polls++);
        ClusterPoll poll = Polls.poll(size, at, down);
        List<IncidentDecision> decisions = tracker.onPoll(classifier.classify(poll),
                poll.members().stream().map(MemberObservation::toHealth).toList(), at);
        decisions.forEach(tracker::applied);
        return decisions;
    }

    @Test
    void aConfirmedMemberFailureOpensOneIncidentWithFirstSeenAndDetectedTimes() {
        // given
        poll("etcd-2");
        // when
        List<IncidentDecision> decisions = poll("etcd-2");
        // then
        assertThat(decisions).singleElement().isInstanceOfSatisfying(IncidentDecision.Open.class, open -> {
            assertThat(open.incident().failure()).isEqualTo(FailureKind.MEMBER_UNHEALTHY);
            assertThat(open.incident().failedMembers()).containsExactly("etcd-2");
            assertThat(open.incident().firstSeenAt()).isEqualTo(T0);
            assertThat(open.incident().detectedAt()).isEqualTo(T0.plusSeconds(2));
            assertThat(open.members()).hasSize(3);
        });
    }

    @Test
    void aFailureThatPersistsIsNotOpenedTwice() {
        // given
        poll("etcd-2");
        poll("etcd-2");
        // when
        List<IncidentDecision> later = poll("etcd-2");
        // then
        assertThat(later).isEmpty();
        assertThat(tracker.openIncidents()).hasSize(1);
    }

    @Test
    void theIncidentResolvesAfterNHealthyPolls() {
        // given
        poll("etcd-2");
        poll("etcd-2");
        // when
        List<IncidentDecision> firstGood = poll();
        List<IncidentDecision> secondGood = poll();
        // then
        assertThat(firstGood).isEmpty();
        assertThat(secondGood).singleElement().isInstanceOfSatisfying(IncidentDecision.Resolve.class, resolve -> {
            assertThat(resolve.incident().id()).isEqualTo("inc-1");
            assertThat(resolve.resolvedAt()).isEqualTo(T0.plusSeconds(6));
        });
        assertThat(tracker.openIncidents()).isEmpty();
    }

    // a plan of cpr's own that stops the members (CI21: a point-in-time restore's stop-members opened QUORUM_LOST)

    private void restoreStopsTheMembersUntil(Instant until) {
        tracker.outageBegins(new PlannedOutage("c1", "plan-1", "etcd-point-in-time-restore", until));
    }

    @Test
    void membersStoppedByARunningRestoreOpenNoIncident() {
        // given a point-in-time restore running on the cluster
        restoreStopsTheMembersUntil(T0.plusSeconds(600));
        // when its stop-members takes every member down for three polls, and they come back
        List<IncidentDecision> whileStopped = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            whileStopped.addAll(poll("etcd-1", "etcd-2", "etcd-3"));
        }
        whileStopped.addAll(poll());
        // then nothing opens
        assertThat(whileStopped).isEmpty();
        assertThat(tracker.openIncidents()).isEmpty();
    }

    @Test
    void aClusterTheRestoreLeftBrokenGetsItsIncidentOnceThePlanEnds() {
        // given a restore running while the members are down
        restoreStopsTheMembersUntil(T0.plusSeconds(600));
        poll("etcd-1", "etcd-2", "etcd-3");
        poll("etcd-1", "etcd-2", "etcd-3");
        // when the plan ends (FAILED) with the members still down
        tracker.outageEnds("c1", "plan-1");
        List<IncidentDecision> first = poll("etcd-1", "etcd-2", "etcd-3");
        List<IncidentDecision> second = poll("etcd-1", "etcd-2", "etcd-3");
        // then the quorum loss is judged as always: confirmed by two polls after the plan's end
        assertThat(first).isEmpty();
        assertThat(second).singleElement().isInstanceOfSatisfying(IncidentDecision.Open.class,
                open -> assertThat(open.incident().failure()).isEqualTo(FailureKind.QUORUM_LOST));
    }

    @Test
    void aHoldWhosePlanSaysNothingMoreLapses() {
        // given a restore whose last update promised an end within 3 s (its restore-service died, say)
        restoreStopsTheMembersUntil(T0.plusSeconds(3));
        // when the members stay down past that
        poll("etcd-1", "etcd-2", "etcd-3"); // T0, held
        poll("etcd-1", "etcd-2", "etcd-3"); // T0 + 2 s, held
        List<IncidentDecision> afterTheHold = poll("etcd-1", "etcd-2", "etcd-3"); // T0 + 4 s
        List<IncidentDecision> next = poll("etcd-1", "etcd-2", "etcd-3");
        // then the polls judge them again
        assertThat(afterTheHold).isEmpty();
        assertThat(next).singleElement().isInstanceOfSatisfying(IncidentDecision.Open.class,
                open -> assertThat(open.incident().failure()).isEqualTo(FailureKind.QUORUM_LOST));
    }

    @Test
    void anotherPlansEndLeavesTheHoldInPlace() {
        restoreStopsTheMembersUntil(T0.plusSeconds(600));

        tracker.outageEnds("c1", "another-plan");

        assertThat(tracker.outage("c1", T0)).hasValueSatisfying(o -> assertThat(o.planId()).isEqualTo("plan-1"));
        assertThat(poll("etcd-1", "etcd-2", "etcd-3")).isEmpty();
        assertThat(poll("etcd-1", "etcd-2", "etcd-3")).isEmpty();
    }

    @Test
    void escalationToQuorumLossOpensASecondIncidentAndKeepsTheFirst() {
        // given
        poll("etcd-2");
        poll("etcd-2");
        // when
        poll("etcd-2", "etcd-3");
        List<IncidentDecision> confirmed = poll("etcd-2", "etcd-3");
        // then
        assertThat(confirmed).singleElement().isInstanceOfSatisfying(IncidentDecision.Open.class, open -> {
            assertThat(open.incident().failure()).isEqualTo(FailureKind.QUORUM_LOST);
            assertThat(open.incident().failedMembers()).containsExactly("etcd-2", "etcd-3");
        });
        assertThat(tracker.openIncidents()).extracting(OpenIncident::failure)
                .containsExactlyInAnyOrder(FailureKind.MEMBER_UNHEALTHY, FailureKind.QUORUM_LOST);
    }

    @Test
    void aFreshQuorumLossOpensOnlyQuorumLost() {
        // given
        poll("etcd-1", "etcd-2");
        // when
        List<IncidentDecision> decisions = poll("etcd-1", "etcd-2");
        // then
        assertThat(decisions).extracting(d -> d.incident().failure()).containsExactly(FailureKind.QUORUM_LOST);
    }

    @Test
    void whenTheQuorumReturnsWithAMemberStillDownMemberUnhealthyOpens() {
        // given: quorum lost and confirmed
        poll("etcd-1", "etcd-2");
        poll("etcd-1", "etcd-2");
        // when: one member comes back, the other stays down
        List<IncidentDecision> first = poll("etcd-2");
        List<IncidentDecision> second = poll("etcd-2");
        // then
        assertThat(first).isEmpty();
        assertThat(second).extracting(d -> d.getClass().getSimpleName() + " " + d.incident().failure())
                .containsExactlyInAnyOrder("Resolve QUORUM_LOST", "Open MEMBER_UNHEALTHY");
    }

    @Test
    void anIncidentOpenBeforeARestartIsNotOpenedAgain() {
        // given
        tracker.restore(List.of(new OpenIncident("old-1", "c1", FailureKind.MEMBER_UNHEALTHY, List.of("etcd-2"),
                "before restart", T0.minusSeconds(60), T0.minusSeconds(58))));
        // when
        List<IncidentDecision> first = poll("etcd-2");
        List<IncidentDecision> second = poll("etcd-2");
        // then
        assertThat(first).isEmpty();
        assertThat(second).isEmpty();
        assertThat(tracker.openIncidents()).extracting(OpenIncident::id).containsExactly("old-1");
    }

    @Test
    void anIncidentOpenBeforeARestartResolvesAfterNHealthyPolls() {
        // given
        tracker.restore(List.of(new OpenIncident("old-1", "c1", FailureKind.MEMBER_UNHEALTHY, List.of("etcd-2"),
                "before restart", T0.minusSeconds(60), T0.minusSeconds(58))));
        // when
        poll();
        List<IncidentDecision> second = poll();
        // then
        assertThat(second).singleElement().extracting(d -> d.incident().id()).isEqualTo("old-1");
    }

    @Test
    void anOpenThatWasNotAppliedIsDecidedAgainOnTheNextPoll() {
        // given: the confirming poll's decision was not stored
        Instant at = T0;
        ClusterPoll first = Polls.poll(3, at, "etcd-2");
        tracker.onPoll(classifier.classify(first), List.of(), at);
        List<IncidentDecision> lost = tracker.onPoll(classifier.classify(Polls.poll(3, at.plusSeconds(2), "etcd-2")),
                List.of(), at.plusSeconds(2));
        // when the caller says it could not store it
        tracker.discarded(lost.get(0));
        List<IncidentDecision> retried = tracker.onPoll(
                classifier.classify(Polls.poll(3, at.plusSeconds(4), "etcd-2")), List.of(), at.plusSeconds(4));
        // then
        assertThat(lost).hasSize(1);
        assertThat(retried).singleElement().satisfies(d -> {
            assertThat(d).isInstanceOf(IncidentDecision.Open.class);
            assertThat(d.incident().firstSeenAt()).isEqualTo(T0);
        });
    }

    @Test
    void twoOverlappingPollsDoNotProposeTheSameIncidentTwice() {
        // given: a confirmed failure whose Open is still being stored when another poll of the cluster answers
        Instant at = T0;
        tracker.onPoll(classifier.classify(Polls.poll(3, at, "etcd-2")), List.of(), at);
        List<IncidentDecision> storing = tracker.onPoll(
                classifier.classify(Polls.poll(3, at.plusSeconds(2), "etcd-2")), List.of(), at.plusSeconds(2));
        // when
        List<IncidentDecision> overlapping = tracker.onPoll(
                classifier.classify(Polls.poll(3, at.plusSeconds(3), "etcd-2")), List.of(), at.plusSeconds(3));
        storing.forEach(tracker::applied);
        List<IncidentDecision> after = tracker.onPoll(
                classifier.classify(Polls.poll(3, at.plusSeconds(4), "etcd-2")), List.of(), at.plusSeconds(4));
        // then
        assertThat(storing).hasSize(1);
        assertThat(overlapping).isEmpty();
        assertThat(after).isEmpty();
        assertThat(tracker.openIncidents()).hasSize(1);
    }

    @Test
    void aDroppedConnectionAndOnePollShowingTheMemberDownOpenTheIncidentAtOnce() {
        // given: etcd-2's connection dropped at T0, and the poll made for it at once shows it down
        Instant polled = T0.plusMillis(40);
        ClusterPoll poll = Polls.poll(3, polled, "etcd-2");
        MemberDropped drop = new MemberDropped("c1", "etcd-2", T0, "connection reset");
        // when
        List<IncidentDecision> decisions = tracker.onPoll(classifier.classify(poll), List.of(), polled,
                java.util.Optional.of(drop));
        // then
        assertThat(decisions).singleElement().isInstanceOfSatisfying(IncidentDecision.Open.class, open -> {
            assertThat(open.incident().failure()).isEqualTo(FailureKind.MEMBER_UNHEALTHY);
            assertThat(open.incident().failedMembers()).containsExactly("etcd-2");
            assertThat(open.incident().firstSeenAt()).isEqualTo(T0);
            assertThat(open.incident().detectedAt()).isEqualTo(polled);
        });
    }

    @Test
    void aDropWhosePollFindsTheMemberHealthyOpensNothing() {
        // given: etcd-2 restarted on purpose: its connection dropped, but it answers again by the poll
        MemberDropped drop = new MemberDropped("c1", "etcd-2", T0, "stream ended");
        // when
        List<IncidentDecision> decisions = tracker.onPoll(classifier.classify(Polls.poll(3, T0.plusMillis(40))),
                List.of(), T0.plusMillis(40), java.util.Optional.of(drop));
        // then
        assertThat(decisions).isEmpty();
    }

    @Test
    void aDropDoesNotConfirmAQuorumLossNorOtherSilentMembersOnOnePoll() {
        // given: etcd-2 dropped, and the poll made for it finds etcd-1 and etcd-3 silent too (a stalled machine?)
        MemberDropped drop = new MemberDropped("c1", "etcd-2", T0, "stream ended");
        // when
        List<IncidentDecision> decisions = tracker.onPoll(
                classifier.classify(Polls.poll(3, T0, "etcd-1", "etcd-2", "etcd-3")), List.of(), T0,
                java.util.Optional.of(drop));
        // then: a first sighting only; the most destructive plans wait for the ordinary debounce
        assertThat(decisions).isEmpty();
    }

    @Test
    void aLeaderKilledOnALoadedMachineIsNotTakenForAQuorumLossByTheDropsPollAndAScheduledOne() {
        // given: the leader etcd-2 killed; a scheduled poll finds it refusing and etcd-1 and etcd-3 timing out while
        // they elect a new leader
        Instant scheduled = T0.plusMillis(900);
        tracker.onPoll(classifier.classify(Polls.mixedPoll(3, scheduled, List.of("etcd-2"),
                List.of("etcd-1", "etcd-3"))), List.of(), scheduled).forEach(tracker::applied);
        // when the poll made for etcd-2's drop, 1 s after it, finds the same (still within the election)
        MemberDropped drop = new MemberDropped("c1", "etcd-2", T0, "stream ended");
        Instant afterDrop = T0.plusMillis(1_000);
        List<IncidentDecision> decisions = tracker.onPoll(classifier.classify(Polls.mixedPoll(3, afterDrop,
                List.of("etcd-2"), List.of("etcd-1", "etcd-3"))), List.of(), afterDrop, java.util.Optional.of(drop));
        decisions.forEach(tracker::applied);
        // then: neither QUORUM_LOST nor a MEMBER_UNHEALTHY naming all three; and once the election is over the next
        // scheduled poll confirms etcd-2 alone
        assertThat(decisions).isEmpty();
        Instant next = T0.plusMillis(2_900);
        List<IncidentDecision> later = tracker.onPoll(classifier.classify(Polls.poll(3, next, "etcd-2")), List.of(),
                next);
        assertThat(later).singleElement().isInstanceOfSatisfying(IncidentDecision.Open.class, open -> {
            assertThat(open.incident().failure()).isEqualTo(FailureKind.MEMBER_UNHEALTHY);
            assertThat(open.incident().failedMembers()).containsExactly("etcd-2");
        });
    }

    @Test
    void membersAnswering503WhileTheyElectALeaderAreNotTakenForAQuorumLossByTheDropsPoll() {
        // given: the leader etcd-3 killed; a scheduled poll finds it refusing and the others answering /health with
        // 503 (no leader yet)
        Instant scheduled = T0.plusMillis(900);
        tracker.onPoll(classifier.classify(electing(scheduled)), List.of(), scheduled).forEach(tracker::applied);
        // when the poll made for etcd-3's drop finds the same
        MemberDropped drop = new MemberDropped("c1", "etcd-3", T0, "connection reset");
        Instant afterDrop = T0.plusMillis(1_000);
        List<IncidentDecision> decisions = tracker.onPoll(classifier.classify(electing(afterDrop)), List.of(),
                afterDrop, java.util.Optional.of(drop));
        // then
        assertThat(decisions).isEmpty();
    }

    private static ClusterPoll electing(Instant at) {
        ClusterPoll down = Polls.poll(3, at, "etcd-1", "etcd-2", "etcd-3");
        return new ClusterPoll("c1", at, down.members().stream()
                .map(m -> m.name().equals("etcd-3") ? m
                        : MemberObservation.unhealthy(m.name(), m.clientUrl(), "health=false (HTTP 503)"))
                .toList(), down.memberList(), List.of());
    }

    @Test
    void twoKilledMembersAreAQuorumLossOnTheDropsPollAndAScheduledOne() {
        // given: etcd-2 and etcd-3 killed (both refuse); a scheduled poll saw it first
        Instant scheduled = T0.plusMillis(900);
        tracker.onPoll(classifier.classify(Polls.poll(3, scheduled, "etcd-2", "etcd-3")), List.of(), scheduled)
                .forEach(tracker::applied);
        // when the poll made for etcd-2's drop finds the same
        MemberDropped drop = new MemberDropped("c1", "etcd-2", T0, "stream ended");
        Instant afterDrop = T0.plusMillis(1_000);
        List<IncidentDecision> decisions = tracker.onPoll(classifier.classify(Polls.poll(3, afterDrop, "etcd-2",
                "etcd-3")), List.of(), afterDrop, java.util.Optional.of(drop));
        // then: members that refuse are dead for sure, and the drop's poll counts as the second sighting
        assertThat(decisions).singleElement().isInstanceOfSatisfying(IncidentDecision.Open.class,
                open -> assertThat(open.incident().failure()).isEqualTo(FailureKind.QUORUM_LOST));
    }

    @Test
    void aDropOfOneMemberDoesNotConfirmAnotherMembersFailure() {
        // given: etcd-3 is seen down by the poll made for etcd-1's drop, but etcd-1 answers
        MemberDropped drop = new MemberDropped("c1", "etcd-1", T0, "stream ended");
        // when
        List<IncidentDecision> decisions = tracker.onPoll(classifier.classify(Polls.poll(3, T0, "etcd-3")),
                List.of(), T0, java.util.Optional.of(drop));
        // then: an ordinary first sighting, confirmed only by the next poll
        assertThat(decisions).isEmpty();
    }

    @Test
    void aForgottenClusterKeepsNoStaleIncidentOrStreak() {
        // given an incident open here and a recovery streak begun, then the cluster is watched by another replica
        poll("etcd-2");
        poll("etcd-2");
        poll();
        String cluster = tracker.openIncidents().get(0).clusterId();
        tracker.forget(cluster);
        // when the cluster comes back failing, with no incident left open in the store
        List<IncidentDecision> first = poll("etcd-2");
        List<IncidentDecision> second = poll("etcd-2");
        // then it is judged afresh: confirmed again and opened (the one it knew was resolved by the other replica)
        assertThat(first).isEmpty();
        assertThat(second).singleElement().isInstanceOf(IncidentDecision.Open.class);
    }

    // issue #15, the liveness gap: a member lost while a member incident is open gets an incident of its own

    @Test
    void givenAMemberIncidentOpen_whenAnotherMemberIsConfirmedDown_thenAnIncidentOpensNamingOnlyTheNewMember() {
        // given: etcd-2's incident is open on a 5-member cluster
        pollOf(5, "etcd-2");
        pollOf(5, "etcd-2");
        // when etcd-3 goes down too, seen on two polls
        List<IncidentDecision> firstSighting = pollOf(5, "etcd-2", "etcd-3");
        List<IncidentDecision> confirmed = pollOf(5, "etcd-2", "etcd-3");
        // then one sighting opens nothing (the debounce holds per member), the second opens etcd-3's own incident
        assertThat(firstSighting).isEmpty();
        assertThat(confirmed).singleElement().isInstanceOfSatisfying(IncidentDecision.Open.class, open -> {
            assertThat(open.incident().id()).isEqualTo("inc-2");
            assertThat(open.incident().failure()).isEqualTo(FailureKind.MEMBER_UNHEALTHY);
            assertThat(open.incident().failedMembers()).containsExactly("etcd-3");
            assertThat(open.incident().firstSeenAt()).isEqualTo(T0.plusSeconds(4));
            assertThat(open.incident().detectedAt()).isEqualTo(T0.plusSeconds(6));
        });
        assertThat(tracker.openIncidents()).extracting(OpenIncident::id).containsExactlyInAnyOrder("inc-1", "inc-2");
    }

    /** On a 5-member cluster, etcd-2's incident (inc-1) opened, then etcd-3's (inc-2) while it was open. */
    private void twoMemberIncidentsOpen() {
        pollOf(5, "etcd-2");
        pollOf(5, "etcd-2");
        pollOf(5, "etcd-2", "etcd-3");
        pollOf(5, "etcd-2", "etcd-3");
    }

    @Test
    void givenTwoMemberIncidentsOpen_whenTheyPersist_thenNothingMoreOpens() {
        // given
        twoMemberIncidentsOpen();
        // when
        List<IncidentDecision> later = pollOf(5, "etcd-2", "etcd-3");
        // then
        assertThat(later).isEmpty();
        assertThat(tracker.openIncidents()).hasSize(2);
    }

    @Test
    void givenTwoMemberIncidentsOpen_whenTheFirstMemberIsBack_thenOnlyItsIncidentResolves() {
        // given: etcd-2 (inc-1) and etcd-3 (inc-2) down
        twoMemberIncidentsOpen();
        // when etcd-2 is revived and etcd-3 stays down
        List<IncidentDecision> firstGood = pollOf(5, "etcd-3");
        List<IncidentDecision> secondGood = pollOf(5, "etcd-3");
        // then
        assertThat(firstGood).isEmpty();
        assertThat(secondGood).singleElement().isInstanceOfSatisfying(IncidentDecision.Resolve.class,
                resolve -> assertThat(resolve.incident().id()).isEqualTo("inc-1"));
        assertThat(tracker.openIncidents()).extracting(OpenIncident::id).containsExactly("inc-2");
    }

    @Test
    void givenTwoMemberIncidentsOpen_whenEveryMemberIsBack_thenBothResolve() {
        // given
        twoMemberIncidentsOpen();
        // when
        pollOf(5);
        List<IncidentDecision> secondGood = pollOf(5);
        // then
        assertThat(secondGood).extracting(d -> d.getClass().getSimpleName() + " " + d.incident().id())
                .containsExactlyInAnyOrder("Resolve inc-1", "Resolve inc-2");
        assertThat(tracker.openIncidents()).isEmpty();
    }

    @Test
    void givenAMemberIncidentOpen_whenItsMemberIsBackAndAnotherIsDown_thenItResolvesAndTheOtherGetsAnIncident() {
        // given: the staggered loss: etcd-2's incident is open, etcd-2 is revived as etcd-3 goes down
        poll("etcd-2");
        poll("etcd-2");
        // when
        List<IncidentDecision> first = poll("etcd-3");
        List<IncidentDecision> second = poll("etcd-3");
        List<IncidentDecision> third = poll("etcd-3");
        // then: etcd-2's incident resolves once etcd-2 is back twice, etcd-3's opens on the poll after
        assertThat(first).isEmpty();
        assertThat(second).extracting(d -> d.getClass().getSimpleName() + " " + d.incident().failedMembers())
                .containsExactly("Resolve [etcd-2]");
        assertThat(third).extracting(d -> d.getClass().getSimpleName() + " " + d.incident().failedMembers())
                .containsExactly("Open [etcd-3]");
    }

    @Test
    void givenAnIncidentNamingTwoMembers_whenTheFirstIsBack_thenItResolvesAndTheOtherGetsAnIncidentOfItsOwn() {
        // given: etcd-2 and etcd-3 lost together on a 5-member cluster: one incident names both, and restore-service
        // plans etcd-2 only (one member at a time)
        pollOf(5, "etcd-2", "etcd-3");
        List<IncidentDecision> opened = pollOf(5, "etcd-2", "etcd-3");
        // when etcd-2's plan brought it back
        List<IncidentDecision> firstGood = pollOf(5, "etcd-3");
        List<IncidentDecision> secondGood = pollOf(5, "etcd-3");
        List<IncidentDecision> after = pollOf(5, "etcd-3");
        // then: the incident resolves, and a new one names etcd-3 alone, for its own plan
        assertThat(opened).singleElement().satisfies(
                d -> assertThat(d.incident().failedMembers()).containsExactly("etcd-2", "etcd-3"));
        assertThat(firstGood).isEmpty();
        assertThat(secondGood).singleElement().isInstanceOfSatisfying(IncidentDecision.Resolve.class,
                resolve -> assertThat(resolve.incident().id()).isEqualTo("inc-1"));
        assertThat(after).singleElement().isInstanceOfSatisfying(IncidentDecision.Open.class, open -> {
            assertThat(open.incident().id()).isEqualTo("inc-2");
            assertThat(open.incident().failure()).isEqualTo(FailureKind.MEMBER_UNHEALTHY);
            assertThat(open.incident().failedMembers()).containsExactly("etcd-3");
        });
        assertThat(tracker.openIncidents()).extracting(OpenIncident::id).containsExactly("inc-2");
    }

    @Test
    void givenAnIncidentNamingTwoMembers_whenBothStayDown_thenNothingChanges() {
        // given
        pollOf(5, "etcd-2", "etcd-3");
        pollOf(5, "etcd-2", "etcd-3");
        // when
        List<IncidentDecision> later = pollOf(5, "etcd-2", "etcd-3");
        List<IncidentDecision> laterStill = pollOf(5, "etcd-2", "etcd-3");
        // then
        assertThat(later).isEmpty();
        assertThat(laterStill).isEmpty();
        assertThat(tracker.openIncidents()).extracting(OpenIncident::id).containsExactly("inc-1");
    }

    @Test
    void givenAMemberIncidentOpen_whenTheQuorumIsLost_thenOnlyQuorumLostOpensNotASecondMemberIncident() {
        // given
        poll("etcd-2");
        poll("etcd-2");
        // when
        poll("etcd-2", "etcd-3");
        List<IncidentDecision> confirmed = poll("etcd-2", "etcd-3");
        // then
        assertThat(confirmed).extracting(d -> d.incident().failure()).containsExactly(FailureKind.QUORUM_LOST);
    }

    @Test
    void givenTwoMemberIncidentsOpenBeforeARestart_whenTheMembersAreStillDown_thenNothingIsOpenedAgain() {
        // given
        tracker.restore(List.of(
                new OpenIncident("old-1", "c1", FailureKind.MEMBER_UNHEALTHY, List.of("etcd-2"), "before restart",
                        T0.minusSeconds(60), T0.minusSeconds(58)),
                new OpenIncident("old-2", "c1", FailureKind.MEMBER_UNHEALTHY, List.of("etcd-3"), "before restart",
                        T0.minusSeconds(30), T0.minusSeconds(28))));
        // when
        List<IncidentDecision> first = pollOf(5, "etcd-2", "etcd-3");
        List<IncidentDecision> second = pollOf(5, "etcd-2", "etcd-3");
        // then
        assertThat(first).isEmpty();
        assertThat(second).isEmpty();
        assertThat(tracker.openIncidents()).extracting(OpenIncident::id).containsExactlyInAnyOrder("old-1", "old-2");
    }

    @Test
    void givenAMemberIncidentBeingStored_whenAnotherMemberIsConfirmedByAnOverlappingPoll_thenItWaitsForTheStore() {
        // given: etcd-2's Open decided but not yet stored
        Instant at = T0;
        tracker.onPoll(classifier.classify(Polls.poll(5, at, "etcd-2", "etcd-3")), List.of(), at);
        List<IncidentDecision> storing = tracker.onPoll(
                classifier.classify(Polls.poll(5, at.plusSeconds(2), "etcd-2", "etcd-3")), List.of(),
                at.plusSeconds(2));
        // when
        List<IncidentDecision> overlapping = tracker.onPoll(
                classifier.classify(Polls.poll(5, at.plusSeconds(3), "etcd-2", "etcd-3")), List.of(),
                at.plusSeconds(3));
        storing.forEach(tracker::applied);
        List<IncidentDecision> after = tracker.onPoll(
                classifier.classify(Polls.poll(5, at.plusSeconds(4), "etcd-2", "etcd-3")), List.of(),
                at.plusSeconds(4));
        // then: both members were named by the one incident, so nothing more opens
        assertThat(storing).singleElement().satisfies(
                d -> assertThat(d.incident().failedMembers()).containsExactly("etcd-2", "etcd-3"));
        assertThat(overlapping).isEmpty();
        assertThat(after).isEmpty();
    }
}
