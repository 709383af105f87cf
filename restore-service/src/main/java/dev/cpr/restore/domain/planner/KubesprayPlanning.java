package dev.cpr.restore.domain.planner;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.kubespray.KubesprayRecoverControlPlanePlan;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the planner does about an incident on a {@code kind: kubespray} cluster. */
final class KubesprayPlanning {

    private final Planner planner;

    KubesprayPlanning(Planner planner) {
        this.planner = planner;
    }

    /**
     * Seed 004: a kubespray cluster is recovered by kubespray's own recover-control-plane playbook, which
     * needs at least one healthy etcd node to run from; with none left a person restores it by hand.
     */
    Planner.Planning plan(ClusterSpec cluster, IncidentOpened incident, String planId, Instant now) {
        if (incident.failure() != FailureKind.MEMBER_UNHEALTHY && incident.failure() != FailureKind.QUORUM_LOST) {
            return new Planner.Skip(incident.failure().label() + " has no kubespray plan", false);
        }
        List<String> broken = incident.failedMembers();
        if (broken.isEmpty()) {
            return new Planner.Skip(incident.failure().label() + " on " + cluster.id() + " without failed members", false);
        }
        if (incident.failure() == FailureKind.QUORUM_LOST) {
            return quorumLost(cluster, stillAnsweringLeftOut(incident), planId, incident, now);
        }
        return recover(cluster, broken, planId, incident.incidentId(), incident.detectedAt(), now,
                incident.failure().label() + " on " + cluster.id());
    }

    /**
     * Without quorum every member counts as failed, the one still running too: it answers, only with {@code health}
     * false for want of a leader. That one has its data and is the node recover-control-plane runs from, so it is not
     * broken. Health-monitor's reason for a member that answered starts with {@code health=}; one that did not answer
     * says why (connection refused, no answer).
     */
    private static List<String> stillAnsweringLeftOut(IncidentOpened incident) {
        List<String> answering = incident.members() == null ? List.of() : incident.members().stream()
                .filter(m -> !m.healthy() && m.reason() != null && m.reason().startsWith("health="))
                .map(MemberHealth::name).toList();
        List<String> down = incident.failedMembers().stream().filter(m -> !answering.contains(m)).toList();
        return down.isEmpty() ? incident.failedMembers() : down;
    }

    /**
     * Quorum lost on a kubespray cluster: the playbook restores its first healthy node from the newest verified
     * snapshot ({@code -e etcd_snapshot}), fetched and checked first as for a quorum restore; without one it takes a
     * snapshot of that node itself, as kubespray does. It waits for a person unless the policy lets both this plan
     * and a quorum restore run by themselves: losing quorum never gets less oversight than a quorum restore.
     */
    private Planner.Planning quorumLost(ClusterSpec cluster, List<String> broken, String planId,
            IncidentOpened incident, Instant now) {
        Planner.Planning planning = recover(cluster, broken, planId, incident.incidentId(), incident.detectedAt(), now,
                incident.failure().label() + " on " + cluster.id());
        if (!(planning instanceof Planner.Create create)) {
            return planning;
        }
        RecoveryPlan plan = create.plan();
        RecoveryMode mode = Planner.modeFor(cluster, PlanNames.ETCD_QUORUM_RESTORE).compareTo(plan.mode()) > 0
                ? Planner.modeFor(cluster, PlanNames.ETCD_QUORUM_RESTORE) : plan.mode();
        Planner.SnapshotChoice choice = planner.chooseSnapshot(cluster, Optional.empty());
        SnapshotRef snapshot = choice instanceof Planner.Chosen chosen ? chosen.snapshot() : null;
        String from = snapshot != null ? "; restores from " + snapshot.describe()
                : "; no verified snapshot (" + (choice instanceof Planner.NoSnapshot none ? none.reason()
                        : ((Planner.CatalogDown) choice).reason()) + "): the playbook snapshots the first node itself";
        RecoveryPlan quorum = new RecoveryPlan(planId, plan.incidentId(), cluster.id(), plan.plan(), plan.targetMember(),
                Planner.initialState(mode), mode, now, now, plan.detectedAt(), null,
                plan.message().replaceFirst("\\([a-z-]+\\)$", "(" + Planner.modeName(mode) + ")") + from, 1,
                KubesprayRecoverControlPlanePlan.outline(broken, snapshot));
        return new Planner.Create(snapshot != null ? quorum.withSnapshot(snapshot) : quorum, List.of());
    }

    /** recover-control-plane with these nodes as broken (incidents and manual triggers); skipped if none is left. */
    static Planner.Planning recover(ClusterSpec cluster, List<String> broken, String planId, String incidentId,
            Instant detectedAt, Instant now, String cause) {
        if (broken.size() >= cluster.members().size()) {
            return new Planner.Skip("every etcd node of " + cluster.id() + " is broken: recover-control-plane needs a healthy "
                    + "one to run from; restore by hand from a snapshot (seed 004)", true);
        }
        RecoveryMode mode = Planner.modeFor(cluster, PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE);
        String why = cause + ": recover-control-plane with " + String.join(", ", broken) + " as broken ("
                + Planner.modeName(mode) + ")";
        RecoveryPlan plan = new RecoveryPlan(planId, incidentId, cluster.id(),
                PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE, KubesprayRecoverControlPlanePlan.target(broken),
                Planner.initialState(mode), mode, now, now, detectedAt, null, why, 1,
                KubesprayRecoverControlPlanePlan.outline(broken));
        return new Planner.Create(plan, List.of());
    }
}
