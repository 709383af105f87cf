package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.restore.domain.bosh.BoshCloudCheckPlan;
import dev.cpr.restore.domain.bosh.BoshDirector;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.etcd.EtcdSpaceRecoverPlan;
import dev.cpr.restore.domain.etcd.NodeControl;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ChangeReplay;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a plan's steps reach the world through, and each plan's configured settings: the service binds the real
 * ones, a test its fakes.
 */
public interface PlanPorts {

    EtcdAdmin etcd();

    NodeControl nodes();

    SnapshotCatalog catalog();

    Sleeper sleeper();

    /** backup-service's change log (a point-in-time restore's segments); null when none is configured. */
    ChangeLogSource changeLog();

    /** Writes a change log into a restored cluster. */
    ChangeReplay changeReplay();

    EtcdMemberReplacePlan.Settings memberSettings();

    /** How long a member replace waits for backup-service's snapshot of its incident. */
    Duration incidentSnapshotWait();

    /** How long a failed member with intact data may take to come back before it is replaced. */
    Duration memberReviveWait();

    EtcdQuorumRestorePlan.Settings restoreSettings(ClusterSpec cluster);

    EtcdSpaceRecoverPlan.Settings spaceSettings(ClusterSpec cluster);

    BoshCloudCheckPlan.Settings cloudCheckSettings();

    BoshDirector director(ClusterSpec cluster);

    /** The playbook steps of a kubespray recovery, given the restored snapshot's file when there is one. */
    List<StepSpec> kubesprayPlaybook(RecoveryPlan plan, ClusterSpec cluster, Optional<String> etcdSnapshot);

    /** The steps of a bbr restore (deployment or director). */
    List<StepSpec> bbrRestore(RecoveryPlan plan, ClusterSpec cluster);
}
