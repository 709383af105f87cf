package dev.cpr.healthmonitor.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.incident.FailureKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** etcd's alarms and the database space are failures of their own, never a quorum loss while members answer. */
class AlarmClassifierTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private static final long QUOTA = 100L * 1024 * 1024;
    private final FailureClassifier classifier = new FailureClassifier(80);

    /**
     * Three members as etcd answers while alarms are raised: {@code /health} false on every member that is up (its
     * status still names a leader), the down ones refuse connections.
     */
    private static ClusterPoll poll(List<String> alarms, long dbSize, String... down) {
        Set<String> downSet = Set.of(down);
        List<MemberObservation> members = new ArrayList<>();
        List<EtcdMember> list = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String name = "etcd-" + i;
            String url = "http://127.0.0.1:" + (2379 + i * 10);
            boolean alarmed = !alarms.isEmpty();
            members.add(downSet.contains(name)
                    ? MemberObservation.unhealthy(name, url, "connection refused")
                    : new MemberObservation(name, url, !alarmed, alarmed ? "health=false (HTTP 503)" : null, i == 1,
                            100L, 50L, true, dbSize, null));
            list.add(new EtcdMember(String.valueOf(i), name, false));
        }
        return new ClusterPoll("c1", NOW, members, Optional.of(list), alarms, QUOTA);
    }

    @Test
    void noAlarmAndRoomToSpareIsHealthy() {
        Classification result = classifier.classify(poll(List.of(), QUOTA / 10));

        assertThat(result.failure()).isEmpty();
        assertThat(result.findings()).isEmpty();
    }

    @Test
    void noSpaceWithEveryMemberAnsweringIsSpaceExhaustedNeverQuorumLost() {
        Classification result = classifier.classify(poll(List.of("NOSPACE on etcd-1", "NOSPACE on etcd-2"), QUOTA));

        assertThat(result.failure()).contains(FailureKind.SPACE_EXHAUSTED);
        assertThat(result.shows(FailureKind.QUORUM_LOST)).isFalse();
        assertThat(result.shows(FailureKind.MEMBER_UNHEALTHY)).isFalse();
        assertThat(result.membersFor(FailureKind.SPACE_EXHAUSTED)).containsExactly("etcd-1", "etcd-2");
        assertThat(result.healthyMembers()).isEqualTo(3);
        assertThat(result.summary()).contains("NOSPACE on etcd-1", "100 %");
    }

    @Test
    void corruptAlarmIsDataCorruptNamingTheAlarmedMember() {
        Classification result = classifier.classify(poll(List.of("CORRUPT on etcd-3"), QUOTA / 10));

        assertThat(result.failure()).contains(FailureKind.DATA_CORRUPT);
        assertThat(result.membersFor(FailureKind.DATA_CORRUPT)).containsExactly("etcd-3");
        assertThat(result.shows(FailureKind.QUORUM_LOST)).isFalse();
    }

    @Test
    void bothAlarmsOpenBothKindsTheCorruptionBeingTheWorse() {
        Classification result = classifier.classify(poll(List.of("NOSPACE on etcd-1", "CORRUPT on etcd-2"), QUOTA));

        assertThat(result.failure()).contains(FailureKind.DATA_CORRUPT);
        assertThat(result.shows(FailureKind.SPACE_EXHAUSTED)).isTrue();
        assertThat(result.shows(FailureKind.DATA_CORRUPT)).isTrue();
        assertThat(result.shows(FailureKind.QUORUM_LOST)).isFalse();
    }

    @Test
    void anAlarmWithOneMemberDownIsTheAlarmAndAnUnhealthyMember() {
        Classification result = classifier.classify(poll(List.of("NOSPACE on etcd-1"), QUOTA, "etcd-3"));

        assertThat(result.shows(FailureKind.SPACE_EXHAUSTED)).isTrue();
        assertThat(result.shows(FailureKind.MEMBER_UNHEALTHY)).isTrue();
        assertThat(result.shows(FailureKind.QUORUM_LOST)).isFalse();
        assertThat(result.membersFor(FailureKind.MEMBER_UNHEALTHY)).containsExactly("etcd-3");
        assertThat(result.failedMembers()).containsExactly("etcd-3");
        assertThat(result.healthyMembers()).isEqualTo(2);
    }

    @Test
    void aQuorumReallyLostWithAnAlarmIsQuorumLostAndTheAlarmIsNotJudged() {
        Classification result = classifier.classify(poll(List.of("NOSPACE on etcd-1"), QUOTA, "etcd-2", "etcd-3"));

        assertThat(result.failure()).contains(FailureKind.QUORUM_LOST);
        assertThat(result.shows(FailureKind.SPACE_EXHAUSTED)).isFalse();
        assertThat(result.judges(FailureKind.SPACE_EXHAUSTED)).isFalse();
        assertThat(result.judges(FailureKind.DATA_CORRUPT)).isFalse();
        assertThat(result.failedMembers()).containsExactly("etcd-2", "etcd-3");
    }

    @Test
    void aLoneMemberWithAnAlarmButNoLeaderIsNotCountedUp() {
        // given: etcd reports the alarm on the survivor, whose status names no leader
        ClusterPoll poll = new ClusterPoll("c1", NOW, List.of(
                new MemberObservation("etcd-1", "u1", false, "health=false", false, 10L, 5L, false, QUOTA, null),
                MemberObservation.unhealthy("etcd-2", "u2", "connection refused"),
                MemberObservation.unhealthy("etcd-3", "u3", "connection refused")),
                Optional.empty(), List.of("NOSPACE on etcd-1"), QUOTA);

        Classification result = classifier.classify(poll);

        assertThat(result.failure()).contains(FailureKind.QUORUM_LOST);
        assertThat(result.failedMembers()).containsExactly("etcd-1", "etcd-2", "etcd-3");
    }

    @Test
    void aDatabaseOverTheWarningShareOfTheQuotaOpensSpaceLowBeforeItBites() {
        Classification below = classifier.classify(poll(List.of(), QUOTA * 79 / 100));
        Classification over = classifier.classify(poll(List.of(), QUOTA * 81 / 100));

        assertThat(below.failure()).isEmpty();
        assertThat(over.failure()).contains(FailureKind.SPACE_LOW);
        assertThat(over.membersFor(FailureKind.SPACE_LOW)).containsExactly("etcd-1", "etcd-2", "etcd-3");
        assertThat(over.summary()).contains("81 %", "warning at 80 %");
    }

    @Test
    void theWarningShareIsConfigurable() {
        Classification result = new FailureClassifier(50).classify(poll(List.of(), QUOTA * 60 / 100));

        assertThat(result.failure()).contains(FailureKind.SPACE_LOW);
    }

    @Test
    void onceNoSpaceIsRaisedTheWarningGivesWayToTheFailure() {
        Classification result = classifier.classify(poll(List.of("NOSPACE on etcd-1"), QUOTA));

        assertThat(result.shows(FailureKind.SPACE_LOW)).isFalse();
        assertThat(result.shows(FailureKind.SPACE_EXHAUSTED)).isTrue();
    }

    @Test
    void withoutAKnownQuotaNoWarningIsGuessed() {
        ClusterPoll poll = poll(List.of(), Long.MAX_VALUE / 200).withQuota(null);

        assertThat(classifier.classify(poll).failure()).isEmpty();
    }

    @Test
    void aMemberWhoseKvHashDiffersIsDataCorruptNamingIt() {
        Map<String, Long> hashes = new LinkedHashMap<>();
        hashes.put("etcd-1", 111L);
        hashes.put("etcd-2", 222L);
        hashes.put("etcd-3", 111L);
        KvHashVerdict verdict = KvHashVerdict.compare("c1", 40, hashes,
                Map.of("etcd-1", 3L, "etcd-2", 3L, "etcd-3", 3L));

        Classification result = classifier.classify(poll(List.of(), QUOTA / 10), Optional.of(verdict));

        assertThat(verdict.differing()).containsExactly("etcd-2");
        assertThat(result.failure()).contains(FailureKind.DATA_CORRUPT);
        assertThat(result.membersFor(FailureKind.DATA_CORRUPT)).containsExactly("etcd-2");
        assertThat(result.summary()).contains("differs on etcd-2");
    }

    @Test
    void hashesThatAgreeOrCannotBeComparedNameNobody() {
        Map<String, Long> same = new LinkedHashMap<>(Map.of("etcd-1", 7L, "etcd-2", 7L, "etcd-3", 7L));
        Map<String, Long> split = new LinkedHashMap<>(Map.of("etcd-1", 7L, "etcd-2", 8L));
        Map<String, Long> differentHistory = new LinkedHashMap<>(Map.of("etcd-1", 7L, "etcd-2", 8L, "etcd-3", 7L));

        assertThat(KvHashVerdict.compare("c1", 9, same, Map.of("etcd-1", 1L, "etcd-2", 1L, "etcd-3", 1L))
                .differing()).isEmpty();
        assertThat(KvHashVerdict.compare("c1", 9, split, Map.of("etcd-1", 1L, "etcd-2", 1L)).differing()).isEmpty();
        assertThat(KvHashVerdict.compare("c1", 9, differentHistory, Map.of("etcd-1", 1L, "etcd-2", 5L, "etcd-3", 1L))
                .differing()).isEmpty();
    }
}
