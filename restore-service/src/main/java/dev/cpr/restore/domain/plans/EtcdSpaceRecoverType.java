package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.etcd.EtcdSpaceRecoverPlan;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import java.time.Instant;
import java.util.List;

/** {@code etcd-space-recover}: compact, defragment one member at a time, disarm NOSPACE. Loses no key: runs by itself. */
public final class EtcdSpaceRecoverType implements PlanType {

    @Override
    public String name() {
        return PlanNames.ETCD_SPACE_RECOVER;
    }

    @Override
    public RecoveryMode defaultMode() {
        return RecoveryMode.AUTO;
    }

    /** A space recovery in the state the cluster's policy says (incidents and manual triggers). */
    public static RecoveryPlan propose(ClusterSpec cluster, String planId, String incidentId, Instant detectedAt,
            Instant now, String cause) {
        RecoveryMode mode = PlanTypes.modeFor(cluster, PlanNames.ETCD_SPACE_RECOVER);
        return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_SPACE_RECOVER, null,
                Planner.initialState(mode), mode, now, now, detectedAt, null, cause + ": compact, defragment one "
                + "member at a time (the leader last), disarm the alarm; no key is lost (" + Planner.modeName(mode)
                + ")", 1, EtcdSpaceRecoverPlan.outline(cluster));
    }

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        return propose(trigger.cluster(), trigger.planId(), trigger.incidentId(), null, trigger.now(),
                trigger.triggeredBy());
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        return new EtcdSpaceRecoverPlan(cluster, plan.id(), ports.etcd(), ports.spaceSettings(cluster), ports.sleeper(),
                plan.steps()).steps();
    }
}
