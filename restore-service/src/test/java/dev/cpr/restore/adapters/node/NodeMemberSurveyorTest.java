package dev.cpr.restore.adapters.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.restore.domain.etcd.FakeEtcdCluster;
import dev.cpr.restore.domain.etcd.MemberSurvey;
import dev.cpr.restore.domain.planner.QuorumOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeMemberSurveyorTest {

    private final FakeEtcdCluster cluster = new FakeEtcdCluster("etcd-1", "etcd-2", "etcd-3");
    private final NodeMemberSurveyor surveyor = new NodeMemberSurveyor(cluster, cluster, "etcdctl", Duration.ZERO);

    FakeEtcdCluster givenEveryMemberHasItsData() {
        List.of("etcd-1", "etcd-2", "etcd-3").forEach(cluster::withMemberFiles);
        return cluster;
    }

    @Test
    void membersStillDyingWhenTheQuorumLossArrivesAreSurveyedDownWithTheirDataAndRevived() {
        // given etcd-2 and etcd-3 killed, their processes still found for two more looks (CI saw this moment)
        givenEveryMemberHasItsData();
        cluster.dying("etcd-2", 2);
        cluster.dying("etcd-3", 2);

        // when the cluster is surveyed after the quorum loss
        List<MemberSurvey> survey = surveyor.survey(cluster.spec);

        // then they are down with their data, and starting them again is the choice, not a rebuild
        assertThat(survey).filteredOn(s -> !s.member().equals("etcd-1")).allSatisfy(s -> {
            assertThat(s.processUp()).as(s.member() + " up").isFalse();
            assertThat(s.revivable()).as(s.member() + " revivable").isTrue();
        });
        QuorumOptions.Ranking ranking = QuorumOptions.rank(2, survey, Optional.empty(), "none", Instant.now());
        assertThat(ranking.choice()).isEqualTo(new QuorumOptions.Revive(List.of("etcd-2", "etcd-3"), List.of()));
    }

    @Test
    void aHungMemberIsLookedAtAFewTimesAndThenSurveyedAsRunningWithoutAnswering() {
        // given etcd-2 hung: its process runs and answers nothing
        givenEveryMemberHasItsData();
        cluster.hang("etcd-2");

        // when the cluster is surveyed
        List<MemberSurvey> survey = surveyor.survey(cluster.spec);

        // then it is asked once and again on each re-look, and stays up and silent; the others are asked once
        assertThat(cluster.calls("status-of-hung")).isEqualTo(1 + NodeMemberSurveyor.SILENT_RELOOKS);
        assertThat(survey).filteredOn(s -> s.member().equals("etcd-2")).singleElement().satisfies(s -> {
            assertThat(s.runsSilent()).isTrue();
            assertThat(s.revivable()).isFalse();
        });
        assertThat(survey).filteredOn(s -> !s.member().equals("etcd-2")).allSatisfy(s ->
                assertThat(s.runsSilent()).isFalse());
    }
}
