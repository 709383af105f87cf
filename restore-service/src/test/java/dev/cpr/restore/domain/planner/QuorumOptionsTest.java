package dev.cpr.restore.domain.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.recovery.RecoveryOption;
import dev.cpr.restore.domain.etcd.MemberSurvey;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuorumOptionsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final SnapshotRef SNAPSHOT = new SnapshotRef("snap-1", "prod", 9_000, 8_900,
            Instant.parse("2026-01-01T09:50:00Z"), "ab".repeat(32), "none", 1L);

    private static MemberSurvey up(String name, long revision) {
        return new MemberSurvey(name, true, true, true, revision, revision + 5, false, "from its status");
    }

    private static MemberSurvey downIntact(String name, Long revision) {
        return new MemberSurvey(name, false, true, true, revision, null, false, "revision read from member/snap/db");
    }

    private static MemberSurvey downWiped(String name) {
        return new MemberSurvey(name, false, false, false, null, null, false, null);
    }

    private static QuorumOptions.Ranking rank(int quorum, List<MemberSurvey> members) {
        return QuorumOptions.rank(quorum, members, Optional.of(SNAPSHOT), null, NOW);
    }

    @Test
    void twoMembersDownWithTheirDataIntactAreRevivedAndNothingIsLost() {
        QuorumOptions.Ranking ranking = rank(2, List.of(up("etcd-1", 10_100), downIntact("etcd-2", 10_100L),
                downIntact("etcd-3", 10_099L)));

        assertThat(ranking.choice()).isEqualTo(new QuorumOptions.Revive(List.of("etcd-2", "etcd-3"), List.of()));
        assertThat(ranking.options()).extracting(RecoveryOption::plan)
                .containsExactly("etcd-quorum-revive", "etcd-survivor-rebuild", "etcd-quorum-restore");
        RecoveryOption revive = ranking.chosen();
        assertThat(revive.revisionsLost()).isZero();
        assertThat(revive.secondsLost()).isZero();
        assertThat(revive.loses()).contains("loses nothing").contains("etcd-2, etcd-3");
    }

    @Test
    void everyOptionSaysWhatItWouldLoseInRevisionsAndSeconds() {
        QuorumOptions.Ranking ranking = rank(2, List.of(up("etcd-1", 10_100), downIntact("etcd-2", 10_100L),
                downWiped("etcd-3")));

        assertThat(ranking.options()).allMatch(RecoveryOption::viable);
        RecoveryOption rebuild = ranking.options().get(1);
        assertThat(rebuild.source()).isEqualTo("etcd-1");
        assertThat(rebuild.revisionsLost()).isZero();
        RecoveryOption restore = ranking.options().get(2);
        assertThat(restore.revisionsLost()).isEqualTo(1_100);
        assertThat(restore.secondsLost()).isEqualTo(600);
        assertThat(restore.loses()).contains("loses 1100 revisions, 600 s").contains("snap-1")
                .contains("not proposed while a member's data survives");
        assertThat(restore.chosen()).isFalse();
    }

    @Test
    void aRevivedMemberWithoutDataIsReplacedAfterQuorumIsBack() {
        QuorumOptions.Ranking ranking = rank(2, List.of(downWiped("etcd-1"), downIntact("etcd-2", 50L),
                up("etcd-3", 50)));

        assertThat(ranking.choice()).isEqualTo(new QuorumOptions.Revive(List.of("etcd-2"), List.of("etcd-1")));
        assertThat(ranking.chosen().loses()).contains("then replace etcd-1 one at a time");
    }

    @Test
    void withTwoMembersWipedTheSurvivorWithTheHighestRevisionIsRebuiltFrom() {
        QuorumOptions.Ranking ranking = rank(3, List.of(downIntact("etcd-1", 10_050L), downWiped("etcd-2"),
                up("etcd-3", 10_100), downWiped("etcd-4"), downWiped("etcd-5")));

        assertThat(ranking.choice()).isEqualTo(new QuorumOptions.Rebuild("etcd-3", 10_100L,
                List.of("etcd-1", "etcd-2", "etcd-4", "etcd-5")));
        assertThat(ranking.options().get(0).viable()).isFalse();
        assertThat(ranking.options().get(0).loses()).contains("only 2 members would be up").contains("quorum needs 3");
        assertThat(ranking.chosen().plan()).isEqualTo("etcd-survivor-rebuild");
        assertThat(ranking.chosen().revisionsLost()).isZero();
        assertThat(ranking.describe()).contains("2. etcd-survivor-rebuild (chosen)")
                .contains("1. etcd-quorum-revive (not possible)");
    }

    @Test
    void aMemberWithoutItsWalIsNoSurvivor() {
        QuorumOptions.Ranking ranking = rank(2, List.of(
                new MemberSurvey("etcd-1", false, false, true, 10_000L, null, false, null), downWiped("etcd-2"),
                downWiped("etcd-3")));

        assertThat(ranking.choice()).isInstanceOf(QuorumOptions.Restore.class);
        assertThat(ranking.options().get(1).viable()).isFalse();
    }

    @Test
    void theSnapshotIsRestoredOnlyWhenNoMembersDataSurvives() {
        QuorumOptions.Ranking ranking = rank(2, List.of(downWiped("etcd-1"), downWiped("etcd-2"), downWiped("etcd-3")));

        assertThat(ranking.choice()).isInstanceOf(QuorumOptions.Restore.class);
        RecoveryOption restore = ranking.chosen();
        assertThat(restore.plan()).isEqualTo("etcd-quorum-restore");
        assertThat(restore.source()).isEqualTo("snap-1");
        assertThat(restore.revisionsLost()).as("no member's revision is known").isNull();
        assertThat(restore.secondsLost()).isEqualTo(600);
        assertThat(restore.loses()).contains("every write after revision 9000");
        assertThat(ranking.options().subList(0, 2)).noneMatch(RecoveryOption::viable);
    }

    @Test
    void withoutDataOrSnapshotTheRestoreIsChosenAndSaysWhyItCannotRun() {
        QuorumOptions.Ranking ranking = QuorumOptions.rank(2, List.of(downWiped("etcd-1"), downWiped("etcd-2"),
                downWiped("etcd-3")), Optional.empty(), "backup-service has no verified snapshot of prod", NOW);

        assertThat(ranking.chosen().viable()).isFalse();
        assertThat(ranking.chosen().loses()).isEqualTo("backup-service has no verified snapshot of prod");
    }
}
