package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import java.util.List;

/**
 * Looks at the members of a cluster through their node access (port; the adapter does the I/O): is the process up,
 * is the data directory intact, which revision does it hold. Every member after a quorum loss; the failed one before
 * anything is done about it while quorum holds.
 */
public interface MemberSurveyor {

    /** One entry per inventory member, in inventory order. Never throws: what cannot be learnt is left unknown. */
    List<MemberSurvey> survey(ClusterSpec cluster);

    /** One member of the cluster (a failed member while quorum holds). Never throws, as {@link #survey}. */
    default MemberSurvey survey(ClusterSpec cluster, String member) {
        return survey(cluster).stream().filter(s -> s.member().equals(member)).findFirst()
                .orElseGet(() -> new MemberSurvey(member, false, false, false, null, null, false, "not in the inventory of "
                        + cluster.id()));
    }
}
