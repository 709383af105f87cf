package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import java.util.List;

/**
 * Looks at every member of a cluster that lost quorum through its node access (port; the adapter does the I/O):
 * is the process up, is the data directory intact, which revision does it hold.
 */
public interface MemberSurveyor {

    /** One entry per inventory member, in inventory order. Never throws: what cannot be learnt is left unknown. */
    List<MemberSurvey> survey(ClusterSpec cluster);
}
