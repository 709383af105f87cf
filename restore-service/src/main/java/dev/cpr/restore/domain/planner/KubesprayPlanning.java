package dev.cpr.restore.domain.planner;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.restore.domain.plans.EtcdQuorumRestoreType;
import dev.cpr.restore.domain.plans.KubesprayRecoverControlPlaneType;
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
     * Seed 004: a kubespray cluster is recovered by kubespray's own recover-control-plane playbook (its proposals are
     * {@link KubesprayRecoverControlPlaneType}'s); a quorum loss restores from the newest verified snapshot.
     */
    Planner.Planning plan(ClusterSpec cluster, IncidentOpened incident, String planId, Instant now) {
        if (incident.failure() != FailureKind.MEMBER_UNHEALTHY && incident.failure() != FailureKind.QUORUM_LOST) {
            return new Planner.Skip(incident.failure().label() + " has no kubespray plan", false);
        }
        List<String> broken = incident.failedMembers();
        if (broken.isEmpty()) {
            return new Planner.Skip(incident.failure().label() + " on " + cluster.id() + " without failed members", false);
        }
        String cause = incident.failure().label() + " on " + cluster.id();
        if (incident.failure() == FailureKind.QUORUM_LOST) {
            return KubesprayRecoverControlPlaneType.proposeAfterQuorumLoss(cluster, stillAnsweringLeftOut(incident),
                    () -> EtcdQuorumRestoreType.chooseSnapshot(planner.snapshotCatalog(), cluster, Optional.empty()),
                    planId, incident.incidentId(), incident.detectedAt(), now, cause);
        }
        return KubesprayRecoverControlPlaneType.propose(cluster, broken, planId, incident.incidentId(),
                incident.detectedAt(), now, cause);
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
}
