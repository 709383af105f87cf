package dev.cpr.restore.domain.planner;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plans.EtcdMemberReplaceType;
import dev.cpr.restore.domain.plans.EtcdSpaceRecoverType;
import java.time.Instant;
import java.util.List;

/**
 * What the planner does about etcd's alarms and the space, none of which is a quorum loss and none of which is ever
 * answered with a restore:
 * <ul>
 *   <li>SPACE_EXHAUSTED (NOSPACE): {@code etcd-space-recover} as the policy says (default auto: no key is lost);</li>
 *   <li>CERTIFICATE_EXPIRING: a warning, no plan (certificates are renewed by people or their tooling);</li>
 *   <li>SPACE_LOW: a warning, no plan (the space is recovered once NOSPACE is raised, or by a person before);</li>
 *   <li>DATA_CORRUPT naming members: {@code etcd-member-replace} of the first, always waiting for a person's
 *       approval (which copy is right is a judgement), under the same quorum rule as any member replace.</li>
 * </ul>
 */
final class AlarmPlanning {

    static boolean handles(FailureKind failure) {
        return failure == FailureKind.SPACE_EXHAUSTED || failure == FailureKind.SPACE_LOW
                || failure == FailureKind.DATA_CORRUPT || failure == FailureKind.CERTIFICATE_EXPIRING;
    }

    private final Planner planner;

    AlarmPlanning(Planner planner) {
        this.planner = planner;
    }

    Planner.Planning plan(ClusterSpec cluster, IncidentOpened incident, String planId, Instant now) {
        return switch (incident.failure()) {
            case SPACE_EXHAUSTED -> new Planner.Create(EtcdSpaceRecoverType.propose(cluster, planId, incident.incidentId(),
                    incident.detectedAt(), now, "NOSPACE on " + cluster.id() + (incident.failedMembers().isEmpty() ? ""
                            : " (" + String.join(", ", incident.failedMembers()) + ")")), List.of());
            case SPACE_LOW -> new Planner.Skip(cluster.id() + "'s database is near its quota ("
                    + String.join(", ", incident.failedMembers()) + "): no plan yet; " + PlanNames.ETCD_SPACE_RECOVER + " runs once "
                    + "NOSPACE is raised, or compact and defragment now", true);
            case DATA_CORRUPT -> corrupt(cluster, incident, planId, now);
            case CERTIFICATE_EXPIRING -> new Planner.Skip("the TLS certificate of " + String.join(", ",
                    incident.failedMembers()) + " in " + cluster.id() + " ends soon: renew it; no plan", true);
            default -> throw new IllegalArgumentException(incident.failure() + " is not an alarm kind");
        };
    }

    private Planner.Planning corrupt(ClusterSpec cluster, IncidentOpened incident, String planId, Instant now) {
        List<String> corrupt = incident.failedMembers();
        if (corrupt.isEmpty()) {
            return new Planner.Skip("DATA_CORRUPT on " + cluster.id() + " without a member named: compare the "
                    + "members' KV hashes by hand before replacing any", true);
        }
        String first = corrupt.get(0);
        if (cluster.member(first).isEmpty()) {
            return new Planner.Skip("corrupt member " + first + " is not in the inventory of " + cluster.id(), true);
        }
        int size = cluster.members().size();
        if (size - corrupt.size() < cluster.quorum()) {
            return new Planner.Skip(corrupt.size() + " of " + size + " members corrupt: too few agree to replace "
                    + "them from; a person decides", true);
        }
        RecoveryMode mode = Planner.modeFor(cluster, PlanNames.ETCD_MEMBER_REPLACE);
        if (mode == RecoveryMode.AUTO) {
            mode = RecoveryMode.APPROVAL;
        }
        RecoveryPlan plan = EtcdMemberReplaceType.propose(cluster, first, mode, planId, incident.incidentId(),
                incident.detectedAt(), now, "data corrupt: " + first + "'s data differs from the other members' ("
                        + incident.summary() + "): replace " + first + " from them ("
                        + mode.name().toLowerCase().replace('_', '-') + ": a person confirms which copy is right)");
        return new Planner.Create(plan, List.copyOf(corrupt.subList(1, corrupt.size())));
    }
}
