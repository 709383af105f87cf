package dev.cpr.healthmonitor.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    private static final Instant NOW = Instant.parse("2026-11-21T06:00:00Z");
    private final FailureClassifier classifier = new FailureClassifier();

    @Test
    void allMembersHealthyIsNoFailure() {
        // given
        ClusterPoll poll = Polls.poll(3, NOW);
        // when
        Classification result = classifier.classify(poll);
        // then
        assertThat(result.failure()).isEmpty();
        assertThat(result.failedMembers()).isEmpty();
        assertThat(result.healthyMembers()).isEqualTo(3);
        assertThat(result.quorum()).isEqualTo(2);
    }

    @Test
    void oneOfThreeDownIsMemberUnhealthyNamingTheMember() {
        // given
        ClusterPoll poll = Polls.poll(3, NOW, "etcd-2");
        // when
        Classification result = classifier.classify(poll);
        // then
        assertThat(result.failure()).contains(FailureKind.MEMBER_UNHEALTHY);
        assertThat(result.failedMembers()).containsExactly("etcd-2");
        assertThat(result.summary()).contains("2 of 3 members healthy", "etcd-2 (connection refused)");
    }

    @Test
    void twoOfThreeDownIsQuorumLost() {
        // given
        ClusterPoll poll = Polls.poll(3, NOW, "etcd-1", "etcd-3");
        // when
        Classification result = classifier.classify(poll);
        // then
        assertThat(result.failure()).contains(FailureKind.QUORUM_LOST);
        assertThat(result.failedMembers()).containsExactly("etcd-1", "etcd-3");
    }

    @Test
    void twoOfFiveDownStillHoldsQuorum() {
        // given
        ClusterPoll poll = Polls.poll(5, NOW, "etcd-4", "etcd-5");
        // when
        Classification result = classifier.classify(poll);
        // then
        assertThat(result.quorum()).isEqualTo(3);
        assertThat(result.failure()).contains(FailureKind.MEMBER_UNHEALTHY);
    }

    @Test
    void threeOfFiveDownIsQuorumLost() {
        // given
        ClusterPoll poll = Polls.poll(5, NOW, "etcd-1", "etcd-2", "etcd-3");
        // when
        Classification result = classifier.classify(poll);
        // then
        assertThat(result.failure()).contains(FailureKind.QUORUM_LOST);
        assertThat(result.failedMembers()).containsExactly("etcd-1", "etcd-2", "etcd-3");
    }

    @Test
    void noMemberAnsweringIsQuorumLostWithTheInventoryAsQuorumBase() {
        // given: nobody answered, so etcd's member list is unknown
        ClusterPoll poll = new ClusterPoll("c1", NOW, List.of(
                MemberObservation.unhealthy("etcd-1", "u1", "timeout"),
                MemberObservation.unhealthy("etcd-2", "u2", "timeout"),
                MemberObservation.unhealthy("etcd-3", "u3", "timeout")), Optional.empty(), List.of());
        // when
        Classification result = classifier.classify(poll);
        // then
        assertThat(result.failure()).contains(FailureKind.QUORUM_LOST);
        assertThat(result.votingMembers()).isEqualTo(3);
        assertThat(result.failedMembers()).hasSize(3);
    }

    @Test
    void quorumFollowsEtcdsMemberListWhileAMemberIsBeingReplaced() {
        // given: the broken member was removed from etcd (2 voters left) and the other two are healthy
        ClusterPoll poll = new ClusterPoll("c1", NOW, List.of(
                MemberObservation.healthy("etcd-1", "u1"),
                MemberObservation.unhealthy("etcd-2", "u2", "connection refused"),
                MemberObservation.healthy("etcd-3", "u3")),
                Optional.of(List.of(new EtcdMember("1", "etcd-1", false), new EtcdMember("3", "etcd-3", false))),
                List.of());
        // when
        Classification result = classifier.classify(poll);
        // then
        assertThat(result.votingMembers()).isEqualTo(2);
        assertThat(result.quorum()).isEqualTo(2);
        assertThat(result.failure()).contains(FailureKind.MEMBER_UNHEALTHY);
        assertThat(result.failedMembers()).containsExactly("etcd-2");
    }

    @Test
    void learnersDoNotCountTowardsTheQuorum() {
        // given: 3 voters + 1 learner; 2 voters healthy
        ClusterPoll poll = new ClusterPoll("c1", NOW, List.of(
                MemberObservation.healthy("etcd-1", "u1"),
                MemberObservation.healthy("etcd-2", "u2"),
                MemberObservation.unhealthy("etcd-3", "u3", "timeout")),
                Optional.of(List.of(new EtcdMember("1", "etcd-1", false), new EtcdMember("2", "etcd-2", false),
                        new EtcdMember("3", "etcd-3", false), new EtcdMember("4", "", true))),
                List.of());
        // when
        Classification result = classifier.classify(poll);
        // then
        assertThat(result.votingMembers()).isEqualTo(3);
        assertThat(result.failure()).contains(FailureKind.MEMBER_UNHEALTHY);
    }

    @Test
    void aLostQuorumAlsoShowsUnhealthyMembers() {
        // given
        Classification lost = classifier.classify(Polls.poll(3, NOW, "etcd-1", "etcd-2"));
        Classification degraded = classifier.classify(Polls.poll(3, NOW, "etcd-1"));
        // then
        assertThat(lost.shows(FailureKind.QUORUM_LOST)).isTrue();
        assertThat(lost.shows(FailureKind.MEMBER_UNHEALTHY)).isTrue();
        assertThat(degraded.shows(FailureKind.QUORUM_LOST)).isFalse();
        assertThat(degraded.shows(FailureKind.MEMBER_UNHEALTHY)).isTrue();
    }

    @Test
    void alarmsAreNamedInTheSummary() {
        // given
        ClusterPoll base = Polls.poll(3, NOW, "etcd-3");
        ClusterPoll poll = new ClusterPoll("c1", NOW, base.members(), base.memberList(), List.of("NOSPACE"));
        // when
        Classification result = classifier.classify(poll);
        // then
        assertThat(result.summary()).contains("alarms: NOSPACE");
    }

    @Test
    void aMemberCertificateEndingWithinTheWindowIsCertificateExpiringNamingTheMember() {
        // given
        ClusterPoll poll = Polls.poll(3, NOW);
        FailureClassifier thirtyDays = new FailureClassifier(80, java.time.Duration.ofDays(30));
        // when
        Classification result = thirtyDays.classify(poll, Optional.empty(), java.util.Map.of(
                "etcd-1", NOW.plus(java.time.Duration.ofDays(10)), "etcd-2", NOW.plus(java.time.Duration.ofDays(300))));
        // then
        assertThat(result.failure()).contains(FailureKind.CERTIFICATE_EXPIRING);
        assertThat(result.membersFor(FailureKind.CERTIFICATE_EXPIRING)).containsExactly("etcd-1");
        assertThat(result.summary()).contains("certificate ends within 30 days: etcd-1 at 2026-12-01T06:00:00Z");
    }

    @Test
    void aCertificateEndingAfterTheWindowIsNoWarning() {
        // given
        ClusterPoll poll = Polls.poll(3, NOW);
        FailureClassifier fiveDays = new FailureClassifier(80, java.time.Duration.ofDays(5));
        // when
        Classification result = fiveDays.classify(poll, Optional.empty(),
                java.util.Map.of("etcd-1", NOW.plus(java.time.Duration.ofDays(10))));
        // then
        assertThat(result.failure()).isEmpty();
        assertThat(result.shows(FailureKind.CERTIFICATE_EXPIRING)).isFalse();
    }
}
