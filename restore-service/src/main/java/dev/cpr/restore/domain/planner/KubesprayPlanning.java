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

    /** Health-monitor's reason for a member that did not answer in time. */
    private static final String NO_ANSWER = "no answer within ";

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
     * <p>
     * When none answered, a member that only timed out (its process is there; right after losing its peers it may be
     * busy electing) is not counted broken either: the ones that refused are down for sure, and wiping a node whose
     * state is unknown is the one step that cannot be undone.
     */
    private static List<String> stillAnsweringLeftOut(IncidentOpened incident) {
        List<String> answering = reasonStartsWith(incident, "health=");
        List<String> running = answering.isEmpty() ? reasonStartsWith(incident, NO_ANSWER) : answering;
        List<String> down = incident.failedMembers().stream().filter(m -> !running.contains(m)).toList();
        return down.isEmpty() ? incident.failedMembers() : down;
    }

    private static List<String> reasonStartsWith(IncidentOpened incident, String prefix) {
        return incident.members() == null ? List.of() : incident.members().stream()
                .filter(m -> !m.healthy() && m.reason() != null && m.reason().startsWith(prefix))
                .map(MemberHealth::name).toList();
    }
}
