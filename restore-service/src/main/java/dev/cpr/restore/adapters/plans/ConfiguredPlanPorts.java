package dev.cpr.restore.adapters.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.restore.adapters.ansible.KubesprayPlans;
import dev.cpr.restore.adapters.bbr.BbrRestorePlans;
import dev.cpr.restore.adapters.bosh.BoshDirectors;
import dev.cpr.restore.config.RestoreConfig;
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
import dev.cpr.restore.domain.plans.PlanPorts;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The real ports and the configured settings the plans' steps run with. */
@ApplicationScoped
public class ConfiguredPlanPorts implements PlanPorts {

    private final EtcdAdmin etcd;
    private final NodeControl nodes;
    private final SnapshotCatalog catalog;
    private final RestoreConfig config;
    private final EtcdMemberReplacePlan.Settings memberSettings;
    private final KubesprayPlans kubespray;
    private final BoshDirectors directors;
    private final BbrRestorePlans bbr;
    private final ChangeLogSource changeLog;
    private final ChangeReplay changeReplay;

    public ConfiguredPlanPorts(EtcdAdmin etcd, NodeControl nodes, SnapshotCatalog catalog, RestoreConfig config,
            KubesprayPlans kubespray, BoshDirectors directors, BbrRestorePlans bbr, ChangeLogSource changeLog,
            ChangeReplay changeReplay) {
        this.etcd = etcd;
        this.changeLog = changeLog;
        this.changeReplay = changeReplay;
        this.nodes = nodes;
        this.catalog = catalog;
        this.config = config;
        this.kubespray = kubespray;
        this.directors = directors;
        this.bbr = bbr;
        this.memberSettings = new EtcdMemberReplacePlan.Settings(Path.of(config.snapshotDir()), config.pollInterval(),
                config.caughtUpMaxLag(), config.catchUpTimeout(), config.verifyTimeout());
    }

    @Override
    public EtcdAdmin etcd() {
        return etcd;
    }

    @Override
    public NodeControl nodes() {
        return nodes;
    }

    @Override
    public SnapshotCatalog catalog() {
        return catalog;
    }

    @Override
    public Sleeper sleeper() {
        return Sleeper.REAL;
    }

    @Override
    public ChangeLogSource changeLog() {
        return changeLog;
    }

    @Override
    public ChangeReplay changeReplay() {
        return changeReplay;
    }

    @Override
    public EtcdMemberReplacePlan.Settings memberSettings() {
        return memberSettings;
    }

    @Override
    public Duration incidentSnapshotWait() {
        return config.incidentSnapshotWait();
    }

    @Override
    public Duration memberReviveWait() {
        return config.memberReviveWait();
    }

    @Override
    public EtcdQuorumRestorePlan.Settings restoreSettings(ClusterSpec cluster) {
        List<EtcdQuorumRestorePlan.Hook> hooks = config.postRestoreHooks().getOrDefault(cluster.id(), List.of()).stream()
                .map(h -> new EtcdQuorumRestorePlan.Hook(h.member(), h.command())).toList();
        RestoreConfig.Restore r = config.restore();
        return new EtcdQuorumRestorePlan.Settings(Path.of(config.snapshotDir()),
                config.pollInterval(), config.verifyTimeout(), r.fetchTimeout(), r.restoreTimeout(), r.hookTimeout(),
                r.etcdctl(), r.etcdutl(), hooks, r.bumpRevision());
    }

    @Override
    public EtcdSpaceRecoverPlan.Settings spaceSettings(ClusterSpec cluster) {
        RestoreConfig.Space space = config.space();
        return new EtcdSpaceRecoverPlan.Settings(config.pollInterval(), space.keepRevisions(), space.defragPause(),
                space.maxLivePercent(), Optional.ofNullable(space.quotaBytes().get(cluster.id())), space.defragTimeout());
    }

    @Override
    public BoshCloudCheckPlan.Settings cloudCheckSettings() {
        return new BoshCloudCheckPlan.Settings(config.pollInterval(), config.bosh().vmTimeout());
    }

    @Override
    public BoshDirector director(ClusterSpec cluster) {
        return directors.of(cluster);
    }

    @Override
    public List<StepSpec> kubesprayPlaybook(RecoveryPlan plan, ClusterSpec cluster, Optional<String> etcdSnapshot) {
        return kubespray.stepsFor(plan, cluster, etcdSnapshot);
    }

    @Override
    public List<StepSpec> bbrRestore(RecoveryPlan plan, ClusterSpec cluster) {
        return bbr.stepsFor(plan, cluster);
    }
}
