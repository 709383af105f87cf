package dev.cpr.restore.adapters.runtime;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.adapters.config.RestoreConfig;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.etcd.NodeControl;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.Sleeper;
import dev.cpr.restore.domain.plan.StepCatalog;
import dev.cpr.restore.domain.plan.StepSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;

/** Binds a stored plan to its steps, with the cluster and member from the inventory and the real ports. */
@ApplicationScoped
public class InventoryStepCatalog implements StepCatalog {

    private final Inventory inventory;
    private final EtcdAdmin etcd;
    private final NodeControl nodes;
    private final EtcdMemberReplacePlan.Settings settings;

    public InventoryStepCatalog(Inventory inventory, EtcdAdmin etcd, NodeControl nodes, RestoreConfig config) {
        this.inventory = inventory;
        this.etcd = etcd;
        this.nodes = nodes;
        this.settings = new EtcdMemberReplacePlan.Settings(Path.of(config.snapshotDir()), config.pollInterval(),
                config.caughtUpMaxLag(), config.catchUpTimeout(), config.verifyTimeout());
    }

    @Override
    public List<StepSpec> stepsFor(RecoveryPlan plan) {
        ClusterSpec cluster = inventory.cluster(plan.clusterId()).orElseThrow(() ->
                new IllegalStateException("cluster " + plan.clusterId() + " is no longer in the inventory"));
        if (!PlanNames.ETCD_MEMBER_REPLACE.equals(plan.plan())) {
            throw new IllegalStateException("restore-service cannot run plan '" + plan.plan() + "' yet");
        }
        MemberSpec member = cluster.member(plan.targetMember()).orElseThrow(() ->
                new IllegalStateException("member " + plan.targetMember() + " is not in the inventory of " + cluster.id()));
        return new EtcdMemberReplacePlan(cluster, member, plan.id(), etcd, nodes, settings, Sleeper.REAL).steps();
    }
}
