package dev.cpr.restore.app;

import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.restore.domain.plan.PlanStore;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The plan store as the app layer needs it beyond the engine's {@link PlanStore}: creating a plan, the runners' leases,
 * cancel requests, and a decision stored with its events and audit row. Every call is durable when it returns, and
 * every stored transition has its {@code dev.cpr.recovery.updated} in the outbox, committed with it.
 */
public interface PlanRecords extends PlanStore {

    /** What {@link #create} did. */
    sealed interface Created permits Stored, Duplicate, ClusterBusy, NoLongerWaiting {
    }

    record Stored(RecoveryPlan plan) implements Created {
    }

    /** A plan for this incident exists already (a redelivered incident). */
    record Duplicate(String existingPlanId) implements Created {
    }

    /** Another plan is active on the cluster: one active plan per cluster. */
    record ClusterBusy(String activePlanId) implements Created {
    }

    /**
     * The deferred incident stopped waiting before its plan could be stored: it resolved meanwhile, or another replica
     * took it. Nothing was stored.
     */
    record NoLongerWaiting(String incidentId) implements Created {
    }

    /**
     * Stores a new plan, unless its incident already has one or its cluster has an active plan; a concurrent replica
     * that wins the race makes this throw (a unique violation).
     */
    Created create(RecoveryPlan plan);

    /**
     * Stores the plan of an incident as {@link #create(RecoveryPlan)} does, and in the same transaction keeps the
     * incident in the {@link DeferredIncidentStore} when its cluster is busy, or ends its wait when the plan is stored
     * (or was already).
     */
    Created create(RecoveryPlan plan, IncidentOpened incident);

    /**
     * Stores the plan of a deferred incident, taking the incident from the {@link DeferredIncidentStore} in the same
     * transaction: if it is no longer there (its resolution forgot it while the plan was being made, or another replica
     * took it), nothing is stored. A cluster busy again keeps it waiting.
     */
    Created createFromDeferred(RecoveryPlan plan, IncidentOpened incident);

    /** The cluster's active plan (PROPOSED, AWAITING_APPROVAL or RUNNING), if any. */
    Optional<RecoveryPlan> activeOn(String clusterId);

    /** Clusters with an active plan created at or after {@code since}: what the fleet meltdown guard counts. */
    Set<String> clustersRecoveringSince(Instant since);

    /** Records a cancel request on a RUNNING plan; false if the plan is not RUNNING (any more). */
    boolean requestCancel(String planId, String who, Instant now);

    /** Takes the lease of a RUNNING plan for this runner unless another runner holds an unexpired one. */
    boolean claim(String planId, String runnerId, Instant now, Instant leaseUntil);

    /** Extends this runner's leases of these plans; returns how many it still holds. */
    int renew(Collection<String> planIds, String runnerId, Instant leaseUntil);

    /** RUNNING plans nobody holds a live lease on: a replica died while running them. */
    List<RecoveryPlan> runningWithoutLease(Instant now);

    /**
     * A transition a person decided over REST: the plan, its event, the decision's {@code dev.cpr.approval.decided}
     * and the decision's ACCEPTED audit entry, in one transaction.
     *
     * @throws ConcurrentPlanUpdateException as {@link #save} does; then nothing is stored
     */
    void saveDecided(RecoveryPlan plan, ApprovalDecided decided, ApprovalLog.Entry accepted);
}
