package dev.cpr.restore.domain.plans;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.kubespray.KubesprayRecoverControlPlanePlan;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.StepSpec;
import dev.cpr.restore.domain.planner.Planner;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code kubespray-recover-control-plane}: kubespray's recover-control-plane playbook for the broken nodes. */
public final class KubesprayRecoverControlPlaneType implements PlanType {

    @Override
    public String name() {
        return PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE;
    }

    @Override
    public RecoveryMode defaultMode() {
        return RecoveryMode.APPROVAL;
    }

    /**
     * recover-control-plane with these nodes as broken (incidents and manual triggers), in the state the cluster's
     * policy says. Seed 004: the playbook needs at least one healthy etcd node to run from; with none left it is
     * skipped and a person restores by hand.
     */
    public static Planner.Planning propose(ClusterSpec cluster, List<String> broken, String planId, String incidentId,
            Instant detectedAt, Instant now, String cause) {
        if (broken.size() >= cluster.members().size()) {
            return new Planner.Skip("every etcd node of " + cluster.id() + " is broken: recover-control-plane needs a "
                    + "healthy one to run from; restore by hand from a snapshot (seed 004)", true);
        }
        RecoveryMode mode = PlanTypes.modeFor(cluster, PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE);
        String why = cause + ": recover-control-plane with " + String.join(", ", broken) + " as broken ("
                + Planner.modeName(mode) + ")";
        RecoveryPlan plan = new RecoveryPlan(planId, incidentId, cluster.id(),
                PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE, KubesprayRecoverControlPlanePlan.target(broken),
                Planner.initialState(mode), mode, now, now, detectedAt, null, why, 1,
                KubesprayRecoverControlPlanePlan.outline(broken));
        return new Planner.Create(plan, List.of());
    }

    /**
     * Quorum lost on a kubespray cluster: the playbook restores its first healthy node from the newest verified
     * snapshot ({@code -e etcd_snapshot}), fetched and checked first as for a quorum restore; without one it takes a
     * snapshot of that node itself, as kubespray does. It waits for a person unless the policy lets both this plan
     * and a quorum restore run by themselves: losing quorum never gets less oversight than a quorum restore.
     *
     * @param snapshots asked only when there is a plan to propose
     */
    public static Planner.Planning proposeAfterQuorumLoss(ClusterSpec cluster, List<String> broken,
            Supplier<SnapshotChoice> snapshots, String planId, String incidentId, Instant detectedAt, Instant now,
            String cause) {
        Planner.Planning planning = propose(cluster, broken, planId, incidentId, detectedAt, now, cause);
        if (!(planning instanceof Planner.Create create)) {
            return planning;
        }
        RecoveryPlan plan = create.plan();
        RecoveryMode restoreMode = PlanTypes.modeFor(cluster, PlanNames.ETCD_QUORUM_RESTORE);
        RecoveryMode mode = restoreMode.compareTo(plan.mode()) > 0 ? restoreMode : plan.mode();
        SnapshotChoice choice = snapshots.get();
        SnapshotRef snapshot = choice instanceof SnapshotChoice.Chosen chosen ? chosen.snapshot() : null;
        String from = snapshot != null ? "; restores from " + snapshot.describe()
                : "; no verified snapshot (" + choice.reason() + "): the playbook snapshots the first node itself";
        RecoveryPlan quorum = new RecoveryPlan(planId, plan.incidentId(), cluster.id(), plan.plan(),
                plan.targetMember(), Planner.initialState(mode), mode, now, now, plan.detectedAt(), null,
                plan.message().replaceFirst("\\([a-z-]+\\)$", "(" + Planner.modeName(mode) + ")") + from, 1,
                KubesprayRecoverControlPlanePlan.outline(broken, snapshot));
        return new Planner.Create(snapshot != null ? quorum.withSnapshot(snapshot) : quorum, List.of());
    }

    @Override
    public RecoveryPlan trigger(ManualTrigger trigger, Planner planner) {
        List<String> broken = !trigger.memberGiven() ? List.of()
                : List.of(trigger.member().split(",")).stream().map(String::strip).toList();
        List<String> unknown = broken.stream().filter(m -> trigger.cluster().member(m).isEmpty()).toList();
        if (broken.isEmpty() || !unknown.isEmpty()) {
            throw TriggerRefused.badRequest(broken.isEmpty() ? "Missing member" : "Unknown member",
                    "'member' names the broken node(s) for " + name() + " (comma-separated)"
                    + (unknown.isEmpty() ? "" : "; not in cluster " + trigger.cluster().id() + ": " + unknown)
                    + "; members: " + trigger.memberNames());
        }
        Planner.Planning planning = propose(trigger.cluster(), broken, trigger.planId(), trigger.incidentId(), null,
                trigger.now(), trigger.triggeredBy());
        if (planning instanceof Planner.Skip skip) {
            throw TriggerRefused.badRequest("Cannot recover with kubespray", skip.reason());
        }
        return ((Planner.Create) planning).plan();
    }

    @Override
    public List<StepSpec> steps(RecoveryPlan plan, ClusterSpec cluster, PlanPorts ports) {
        if (plan.snapshot() == null) {
            return ports.kubesprayPlaybook(plan, cluster, Optional.empty());
        }
        // after a quorum loss with a snapshot chosen: fetched and checked as for a quorum restore, then its file is
        // handed to the playbook (-e etcd_snapshot)
        EtcdQuorumRestorePlan restore = EtcdQuorumRestoreType.restoreOf(plan, cluster, ports);
        List<StepSpec> steps = new ArrayList<>();
        steps.add(restore.steps().get(0));
        steps.addAll(ports.kubesprayPlaybook(plan, cluster, Optional.of(restore.snapshotFile().toString())));
        return steps;
    }
}
