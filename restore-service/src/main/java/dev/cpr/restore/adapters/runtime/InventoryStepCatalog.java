package dev.cpr.restore.adapters.runtime;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.adapters.ansible.KubesprayPlans;
import dev.cpr.restore.adapters.bbr.BbrRestorePlans;
import dev.cpr.restore.adapters.bosh.BoshDirectors;
import dev.cpr.restore.adapters.config.RestoreConfig;
import dev.cpr.restore.domain.bosh.BoshCloudCheckPlan;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.etcd.EtcdSpaceRecoverPlan;
import dev.cpr.restore.domain.etcd.EtcdQuorumRevivePlan;
import dev.cpr.restore.domain.etcd.EtcdSurvivorRebuildPlan;
import dev.cpr.restore.domain.etcd.NodeControl;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.Sleeper;
import dev.cpr.restore.domain.plan.StepCatalog;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds a stored plan to its steps, with the cluster and member from the inventory and the real ports.
 * A step's timeout can be overridden by name: {@code cpr.restore.step-timeouts.<step>=<duration>}.
 */
@ApplicationScoped
public class InventoryStepCatalog implements StepCatalog {

    private final Inventory inventory;
    private final EtcdAdmin etcd;
    private final NodeControl nodes;
    private final SnapshotCatalog catalog;
    private final RestoreConfig config;
    private final EtcdMemberReplacePlan.Settings settings;
    private final Map<String, Duration> timeouts;
    private final KubesprayPlans kubespray;
    private final BoshDirectors directors;
    private final BbrRestorePlans bbr;

    public InventoryStepCatalog(Inventory inventory, EtcdAdmin etcd, NodeControl nodes, SnapshotCatalog catalog,
            RestoreConfig config, KubesprayPlans kubespray, BoshDirectors directors, BbrRestorePlans bbr) {
        this.inventory = inventory;
        this.bbr = bbr;
        this.kubespray = kubespray;
        this.directors = directors;
        this.etcd = etcd;
        this.nodes = nodes;
        this.catalog = catalog;
        this.config = config;
        this.settings = new EtcdMemberReplacePlan.Settings(Path.of(config.snapshotDir()), config.pollInterval(),
                config.caughtUpMaxLag(), config.catchUpTimeout(), config.verifyTimeout());
        this.timeouts = Map.copyOf(config.stepTimeouts());
    }

    @Override
    public List<StepSpec> stepsFor(RecoveryPlan plan) {
        ClusterSpec cluster = inventory.cluster(plan.clusterId()).orElseThrow(() ->
                new IllegalStateException("cluster " + plan.clusterId() + " is no longer in the inventory"));
        List<StepSpec> steps = switch (plan.plan()) {
            case PlanNames.ETCD_MEMBER_REPLACE -> memberReplace(cluster, plan).steps();
            case PlanNames.BOSH_CLOUD_CHECK -> {
                MemberSpec member = target(cluster, plan);
                yield new BoshCloudCheckPlan(cluster, member, directors.of(cluster), etcd, memberReplace(cluster, plan),
                        new BoshCloudCheckPlan.Settings(config.pollInterval(), config.bosh().vmTimeout()), Sleeper.REAL,
                        plan.steps()).steps();
            }
            case PlanNames.ETCD_QUORUM_RESTORE -> quorumRestore(cluster, plan).steps();
            case PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE -> kubesprayRecover(cluster, plan);
            case PlanNames.ETCD_QUORUM_REVIVE -> new EtcdQuorumRevivePlan(cluster, plan.id(),
                    EtcdQuorumRevivePlan.startMembers(plan.targetMember()),
                    EtcdQuorumRevivePlan.replaceMembers(plan.steps()), etcd, nodes, settings, Sleeper.REAL).steps();
            case PlanNames.ETCD_SURVIVOR_REBUILD -> new EtcdSurvivorRebuildPlan(cluster, plan.id(), plan.targetMember(),
                    etcd, nodes, settings, restoreSettings(cluster), Sleeper.REAL).steps();
            case PlanNames.BBR_DEPLOYMENT_RESTORE, PlanNames.BBR_DIRECTOR_RESTORE -> bbr.stepsFor(plan, cluster);
            case PlanNames.ETCD_SPACE_RECOVER -> spaceRecover(cluster, plan).steps();
            default -> throw new IllegalStateException("restore-service cannot run plan '" + plan.plan() + "'");
        };
        return steps.stream().map(this::withConfiguredTimeout).toList();
    }

    /**
     * recover-control-plane; after quorum was lost with a snapshot chosen, the snapshot is first fetched and checked
     * as for a quorum restore and its file handed to the playbook ({@code -e etcd_snapshot}).
     */
    private List<StepSpec> kubesprayRecover(ClusterSpec cluster, RecoveryPlan plan) {
        if (plan.snapshot() == null) {
            return kubespray.stepsFor(plan, cluster, Optional.empty());
        }
        EtcdQuorumRestorePlan restore = quorumRestore(cluster, plan);
        List<StepSpec> steps = new java.util.ArrayList<>();
        steps.add(restore.steps().get(0));
        steps.addAll(kubespray.stepsFor(plan, cluster, Optional.of(restore.snapshotFile().toString())));
        return steps;
    }

    /** The member replace of the plan's target (on its own, or as the second half of a BOSH cloud check). */
    private EtcdMemberReplacePlan memberReplace(ClusterSpec cluster, RecoveryPlan plan) {
        return new EtcdMemberReplacePlan(cluster, target(cluster, plan), plan.id(), etcd, nodes, settings, Sleeper.REAL,
                new EtcdMemberReplacePlan.SafetySource(catalog, plan.incidentId(), config.incidentSnapshotWait()));
    }

    private static MemberSpec target(ClusterSpec cluster, RecoveryPlan plan) {
        return cluster.member(plan.targetMember()).orElseThrow(() -> new IllegalStateException(
                "member " + plan.targetMember() + " is not in the inventory of " + cluster.id()));
    }

    public EtcdQuorumRestorePlan quorumRestore(ClusterSpec cluster, RecoveryPlan plan) {
        return new EtcdQuorumRestorePlan(cluster, plan.id(), plan.snapshot(), catalog, etcd, nodes,
                restoreSettings(cluster), Sleeper.REAL);
    }

    private EtcdQuorumRestorePlan.Settings restoreSettings(ClusterSpec cluster) {
        List<EtcdQuorumRestorePlan.Hook> hooks = config.postRestoreHooks().getOrDefault(cluster.id(), List.of()).stream()
                .map(h -> new EtcdQuorumRestorePlan.Hook(h.member(), h.command())).toList();
        RestoreConfig.Restore r = config.restore();
        return new EtcdQuorumRestorePlan.Settings(Path.of(config.snapshotDir()),
                config.pollInterval(), config.verifyTimeout(), r.fetchTimeout(), r.restoreTimeout(), r.hookTimeout(),
                r.etcdctl(), r.etcdutl(), hooks, r.bumpRevision());
    }

    public EtcdSpaceRecoverPlan spaceRecover(ClusterSpec cluster, RecoveryPlan plan) {
        RestoreConfig.Space space = config.space();
        return new EtcdSpaceRecoverPlan(cluster, plan.id(), etcd, new EtcdSpaceRecoverPlan.Settings(
                config.pollInterval(), space.keepRevisions(), space.defragPause(), space.maxLivePercent(),
                Optional.ofNullable(space.quotaBytes().get(cluster.id())), space.defragTimeout()), Sleeper.REAL,
                plan.steps());
    }

    private StepSpec withConfiguredTimeout(StepSpec spec) {
        Duration configured = timeouts.get(spec.name());
        return configured == null ? spec : new StepSpec(spec.name(), spec.description(), spec.destructive(), configured,
                spec.retry(), spec.check(), spec.action(), spec.verify());
    }
}
