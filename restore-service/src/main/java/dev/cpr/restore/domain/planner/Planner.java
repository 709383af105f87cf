package dev.cpr.restore.domain.planner;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Chooses what to do about an opened incident. Pure: no I/O, the caller persists the result.
 * <ul>
 *   <li>MEMBER_UNHEALTHY with quorum holding: {@code etcd-member-replace} for the first failed member
 *       (one member at a time; the others wait for a later incident);</li>
 *   <li>QUORUM_LOST: nothing yet (the quorum-restore plan is not built): skipped with a warning;</li>
 *   <li>an unknown cluster or member: skipped.</li>
 * </ul>
 * The plan's first state follows the cluster policy: auto RUNNING, approval AWAITING_APPROVAL,
 * notify-only PROPOSED.
 */
public final class Planner {

    public sealed interface Planning permits Create, Skip {
    }

    /** @param waiting failed members not handled by this plan (one member at a time) */
    public record Create(RecoveryPlan plan, List<String> waiting) implements Planning {
    }

    /** @param warning whether a person should look at it (quorum lost, meltdown) rather than just a no-op */
    public record Skip(String reason, boolean warning) implements Planning {
    }

    private final Inventory inventory;

    public Planner(Inventory inventory) {
        this.inventory = inventory;
    }

    public Planning plan(IncidentOpened incident, String planId, Instant now) {
        Optional<ClusterSpec> found = inventory.cluster(incident.clusterId());
        if (found.isEmpty()) {
            return new Skip("cluster " + incident.clusterId() + " is not in the inventory", false);
        }
        ClusterSpec cluster = found.get();
        if (incident.failure() == FailureKind.QUORUM_LOST) {
            return new Skip("quorum lost on " + cluster.id() + ": no automatic quorum restore yet, "
                    + "a person must restore it from a snapshot (seed 000/002)", true);
        }
        if (incident.failedMembers().isEmpty()) {
            return new Skip("MEMBER_UNHEALTHY without failed members", false);
        }
        int healthy = cluster.members().size() - incident.failedMembers().size();
        if (healthy < cluster.quorum()) {
            return new Skip(incident.failedMembers().size() + " of " + cluster.members().size()
                    + " members failed: quorum (" + cluster.quorum() + ") does not hold, no member replace", true);
        }
        String first = incident.failedMembers().get(0);
        Optional<MemberSpec> member = cluster.member(first);
        if (member.isEmpty()) {
            return new Skip("failed member " + first + " is not in the inventory of " + cluster.id(), true);
        }
        RecoveryMode mode = cluster.policyOrDefaults().modeFor(PlanNames.ETCD_MEMBER_REPLACE);
        PlanState initial = switch (mode) {
            case AUTO -> PlanState.RUNNING;
            case APPROVAL -> PlanState.AWAITING_APPROVAL;
            case NOTIFY_ONLY -> PlanState.PROPOSED;
        };
        RecoveryPlan plan = new RecoveryPlan(planId, incident.incidentId(), cluster.id(),
                PlanNames.ETCD_MEMBER_REPLACE, first, initial, mode, now, now, incident.detectedAt(), null,
                "replace " + first + " (" + mode.name().toLowerCase().replace('_', '-') + ")", 1,
                EtcdMemberReplacePlan.outline(first));
        List<String> waiting = incident.failedMembers().subList(1, incident.failedMembers().size());
        return new Create(plan, List.copyOf(waiting));
    }
}
