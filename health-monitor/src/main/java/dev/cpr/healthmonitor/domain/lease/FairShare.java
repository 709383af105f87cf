package dev.cpr.healthmonitor.domain.lease;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How many clusters one health-monitor replica watches, and which it takes or gives up, so that live replicas split
 * the clusters: each holds at most {@code ceil(clusters / live replicas)}. A replica under its share takes free
 * clusters (no live lease); one over it (a replica came back, or came up) gives the surplus up for the others to
 * take. Every replica decides alone from what the lease table shows; the claims themselves are atomic in the database,
 * so two replicas that pick the same free cluster at once end with one owner and the loser tries again next round.
 */
public final class FairShare {

    /** What one round of a replica does: the clusters it tries to take and those it gives up. */
    public record Moves(List<String> claim, List<String> release) {

        public Moves {
            claim = List.copyOf(claim);
            release = List.copyOf(release);
        }
    }

    private FairShare() {
    }

    /** {@code ceil(clusters / liveReplicas)}; a replica always counts itself as live. */
    public static int share(int clusters, int liveReplicas) {
        int live = Math.max(1, liveReplicas);
        return (clusters + live - 1) / live;
    }

    /**
     * @param clusters every cluster of the inventory
     * @param owners   the live leases: cluster id to its owner replica (expired ones left out)
     * @param me       this replica's id
     * @param liveReplicas replicas with a live heartbeat, this one included
     */
    public static Moves decide(List<String> clusters, Map<String, String> owners, String me, int liveReplicas) {
        int share = share(clusters.size(), liveReplicas);
        List<String> sorted = clusters.stream().sorted().toList();
        List<String> mine = sorted.stream().filter(c -> me.equals(owners.get(c))).toList();
        if (mine.size() > share) {
            return new Moves(List.of(), mine.subList(share, mine.size()));
        }
        List<String> free = new ArrayList<>(sorted.stream().filter(c -> !owners.containsKey(c)).toList());
        // replicas start their search at different clusters, so two of them rarely race for the same one
        free.sort(Comparator.comparingInt(c -> Math.floorMod((c + "@" + me).hashCode(), 1 << 16)));
        int wanted = Math.min(share - mine.size(), free.size());
        return new Moves(free.subList(0, wanted), List.of());
    }
}
