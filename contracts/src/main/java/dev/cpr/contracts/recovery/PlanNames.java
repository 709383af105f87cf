package dev.cpr.contracts.recovery;

import java.util.Set;

/** Names of recovery plans, as used in the inventory's recovery policy, REST and events. */
public final class PlanNames {
    public static final String ETCD_MEMBER_REPLACE = "etcd-member-replace";
    /**
     * A failed member whose data directory is intact: started again on its own data (or waited for, while it is
     * starting), and replaced only if it does not come back.
     */
    public static final String ETCD_MEMBER_REVIVE = "etcd-member-revive";
    public static final String ETCD_QUORUM_RESTORE = "etcd-quorum-restore";
    /**
     * A quorum restore with a target: the newest verified snapshot at or before a revision, then the change log
     * replayed up to that revision. Only ever triggered by a person (REST), never chosen by the planner.
     */
    public static final String ETCD_POINT_IN_TIME_RESTORE = "etcd-point-in-time-restore";
    public static final String KUBESPRAY_RECOVER_CONTROL_PLANE = "kubespray-recover-control-plane";
    /** Seed 001: scan, recreate a master's missing or unresponsive VM, then replace its etcd member if still failing. */
    public static final String BOSH_CLOUD_CHECK = "bosh-cloud-check";
    /** Seed 000: {@code bbr deployment ... restore} from the newest verified deployment artifact. */
    public static final String BBR_DEPLOYMENT_RESTORE = "bbr-deployment-restore";
    /** Seed 003: {@code bbr director ... restore} from the newest verified director artifact. */
    public static final String BBR_DIRECTOR_RESTORE = "bbr-director-restore";

    /** NOSPACE: compact, defragment one member at a time (the leader last), disarm the alarm. No key is lost. */
    public static final String ETCD_SPACE_RECOVER = "etcd-space-recover";

    /** Quorum lost, members down with their data intact: start them again (nothing is lost). */
    public static final String ETCD_QUORUM_REVIVE = "etcd-quorum-revive";
    /** Quorum lost, too few intact members: a one-member cluster from the most up-to-date survivor, others added. */
    public static final String ETCD_SURVIVOR_REBUILD = "etcd-survivor-rebuild";

    /**
     * The plans that stop every member of their cluster on purpose while they run: health-monitor does not open member
     * or quorum incidents for what they do (it judges the cluster again once they end).
     */
    public static final Set<String> STOP_EVERY_MEMBER = Set.of(ETCD_QUORUM_RESTORE, ETCD_POINT_IN_TIME_RESTORE,
            ETCD_SURVIVOR_REBUILD);

    public static final Set<String> ALL = Set.of(ETCD_MEMBER_REPLACE, ETCD_QUORUM_RESTORE, KUBESPRAY_RECOVER_CONTROL_PLANE,
            BOSH_CLOUD_CHECK, BBR_DEPLOYMENT_RESTORE, BBR_DIRECTOR_RESTORE, ETCD_SPACE_RECOVER, ETCD_QUORUM_REVIVE,
            ETCD_SURVIVOR_REBUILD, ETCD_MEMBER_REVIVE, ETCD_POINT_IN_TIME_RESTORE);

    private PlanNames() {
    }
}
