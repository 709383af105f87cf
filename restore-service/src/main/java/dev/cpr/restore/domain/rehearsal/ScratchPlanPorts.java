package dev.cpr.restore.domain.rehearsal;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.bosh.BoshCloudCheckPlan;
import dev.cpr.restore.domain.bosh.BoshDirector;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.etcd.EtcdSpaceRecoverPlan;
import dev.cpr.restore.domain.etcd.NodeControl;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.plans.PlanPorts;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.pointintime.ChangeReplay;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the rehearsed quorum restore's steps reach: the scratch cluster's etcd clients and replayer, the node control
 * (the scratch members are local), the real catalog and the real change log (asked by the scratch id, see
 * {@link ScratchChangeLog}). The restore settings are the service's with the scratch snapshot directory and without
 * post-restore hooks: the real cluster's hooks restart its real control plane. Anything another plan needs is refused.
 */
public record ScratchPlanPorts(EtcdAdmin etcd, NodeControl nodes, SnapshotCatalog catalog, Sleeper sleeper,
        ChangeLogSource changeLog, ChangeReplay changeReplay, EtcdQuorumRestorePlan.Settings settings)
        implements PlanPorts {

    /** The service's restore settings, with the scratch cluster's snapshot directory and no hooks. */
    public static EtcdQuorumRestorePlan.Settings forScratch(EtcdQuorumRestorePlan.Settings real,
            java.nio.file.Path snapshotDir) {
        return new EtcdQuorumRestorePlan.Settings(snapshotDir, real.pollInterval(), real.verifyTimeout(),
                real.fetchTimeout(), real.restoreTimeout(), real.hookTimeout(), real.etcdctl(), real.etcdutl(),
                List.of(), real.bumpRevision());
    }

    @Override
    public EtcdQuorumRestorePlan.Settings restoreSettings(ClusterSpec cluster) {
        return settings;
    }

    @Override
    public EtcdMemberReplacePlan.Settings memberSettings() {
        throw refused("a member replace");
    }

    @Override
    public Duration incidentSnapshotWait() {
        throw refused("a member replace");
    }

    @Override
    public Duration memberReviveWait() {
        throw refused("a member revive");
    }

    @Override
    public EtcdSpaceRecoverPlan.Settings spaceSettings(ClusterSpec cluster) {
        throw refused("a space recovery");
    }

    @Override
    public BoshCloudCheckPlan.Settings cloudCheckSettings() {
        throw refused("a BOSH cloud check");
    }

    @Override
    public BoshDirector director(ClusterSpec cluster) {
        throw refused("a BOSH director");
    }

    @Override
    public List<StepSpec> kubesprayPlaybook(RecoveryPlan plan, ClusterSpec cluster, Optional<String> etcdSnapshot) {
        throw refused("a kubespray playbook");
    }

    @Override
    public List<StepSpec> bbrRestore(RecoveryPlan plan, ClusterSpec cluster) {
        throw refused("a bbr restore");
    }

    private static UnsupportedOperationException refused(String what) {
        return new UnsupportedOperationException("a rehearsal runs the quorum restore only, never " + what);
    }
}
