package dev.cpr.healthmonitor.domain.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FairShareTest {

    private static final List<String> FOUR = List.of("c1", "c2", "c3", "c4");

    @Test
    void theShareIsTheClustersDividedByTheLiveReplicasRoundedUp() {
        assertThat(FairShare.share(4, 2)).isEqualTo(2);
        assertThat(FairShare.share(5, 2)).isEqualTo(3);
        assertThat(FairShare.share(1, 3)).isEqualTo(1);
        assertThat(FairShare.share(4, 0)).as("a replica counts itself").isEqualTo(4);
    }

    @Test
    void aLoneReplicaTakesEveryFreeCluster() {
        FairShare.Moves moves = FairShare.decide(FOUR, Map.of(), "a", 1);

        assertThat(moves.claim()).containsExactlyInAnyOrderElementsOf(FOUR);
        assertThat(moves.release()).isEmpty();
    }

    @Test
    void aSecondReplicaTakesNoMoreThanItsShareOfTheFreeClusters() {
        FairShare.Moves moves = FairShare.decide(FOUR, Map.of("c1", "a", "c2", "a"), "b", 2);

        assertThat(moves.claim()).containsExactlyInAnyOrder("c3", "c4");
    }

    @Test
    void aReplicaOverItsShareGivesTheSurplusUpWhenAnotherComesBack() {
        Map<String, String> owners = Map.of("c1", "a", "c2", "a", "c3", "a", "c4", "a");

        FairShare.Moves moves = FairShare.decide(FOUR, owners, "a", 2);

        assertThat(moves.release()).hasSize(2);
        assertThat(moves.claim()).isEmpty();
    }

    @Test
    void aReplicaAtItsShareNeitherTakesNorGivesUp() {
        FairShare.Moves moves = FairShare.decide(FOUR, Map.of("c1", "a", "c2", "a"), "a", 2);

        assertThat(moves.claim()).isEmpty();
        assertThat(moves.release()).isEmpty();
    }

    @Test
    void theClustersOfADeadReplicaAreTakenOnceItsLeasesExpired() {
        Map<String, String> owners = new HashMap<>(Map.of("c1", "b", "c2", "b"));

        FairShare.Moves moves = FairShare.decide(FOUR, owners, "b", 1);

        assertThat(moves.claim()).containsExactlyInAnyOrder("c3", "c4");
    }
}
