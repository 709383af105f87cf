package dev.cpr.contracts.recovery;

import java.util.Set;

/** Names of recovery plans, as used in the inventory's recovery policy, REST and events. */
public final class PlanNames {
    public static final String ETCD_MEMBER_REPLACE = "etcd-member-replace";
    public static final String ETCD_QUORUM_RESTORE = "etcd-quorum-restore";
    public static final String KUBESPRAY_RECOVER_CONTROL_PLANE = "kubespray-recover-control-plane";

    public static final Set<String> ALL = Set.of(ETCD_MEMBER_REPLACE, ETCD_QUORUM_RESTORE, KUBESPRAY_RECOVER_CONTROL_PLANE);

    private PlanNames() {
    }
}
