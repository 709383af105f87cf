package dev.cpr.restore.app;

import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.kernel.MeltdownGuard;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.bbr.BbrArtifactCatalog;
import dev.cpr.restore.domain.etcd.MemberSurveyor;
import dev.cpr.restore.domain.plan.Decisions;
import dev.cpr.restore.domain.plan.PlanStore;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.planner.FleetGuard;
import dev.cpr.restore.domain.planner.Planner;
import dev.cpr.restore.domain.plans.ManualTrigger;
import dev.cpr.restore.domain.plans.PlanType;
import dev.cpr.restore.domain.plans.PlanTypes;
import dev.cpr.restore.domain.plans.TriggerRefused;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * What restore-service does with plans outside the engine: store a planned one (from an incident or a REST
 * trigger), cancel. A person's decision (approve, reject) goes through {@link ApprovalDesk}. Blocking:
 * call it on a worker thread.
 */
@ApplicationScoped
public class Recoveries {

    private static final Logger LOG = Logger.getLogger(Recoveries.class);

    /** What a trigger did. {@code stored=false}: a dry run, shown and never stored. */
    public record Triggered(RecoveryPlan plan, boolean stored) {
    }

    /** What a decision did: the plan's state now and a sentence about it. */
    public record Decided(RecoveryPlan plan, PlanState state, String detail, boolean accepted) {
    }

    private final Inventory inventory;
    private final Planner planner;
    private final PlanRecords store;
    private final PlanRunner runner;
    private final PlanMetrics metrics;
    private final Clock clock;
    private final DeferredIncidentStore deferred;

    public Recoveries(Inventory inventory, SnapshotCatalog catalog, BbrArtifactCatalog artifacts, RestoreConfig config,
            PlanRecords store, DeferredIncidentStore deferred, PlanRunner runner, PlanMetrics metrics, Clock clock,
            MemberSurveyor surveyor) {
        this(inventory, catalog, artifacts, config, store, deferred, runner, metrics, clock, surveyor, null);
    }

    /** @param changeLog backup-service's change log, where a point-in-time trigger's time becomes a revision */
    @Inject
    public Recoveries(Inventory inventory, SnapshotCatalog catalog, BbrArtifactCatalog artifacts, RestoreConfig config,
            PlanRecords store, DeferredIncidentStore deferred, PlanRunner runner, PlanMetrics metrics, Clock clock,
            MemberSurveyor surveyor, ChangeLogSource changeLog) {
        this.deferred = deferred;
        this.inventory = inventory;
        this.planner = new Planner(inventory, catalog, artifacts,
                new MeltdownGuard(config.meltdown().minDown(), config.meltdown().minPercent()), surveyor, changeLog)
                .withFleetGuard(fleetGuard(config.meltdown().fleet(), store));
        this.store = store;
        this.runner = runner;
        this.metrics = metrics;
        this.clock = clock;
    }

    private static FleetGuard fleetGuard(RestoreConfig.Meltdown.Fleet fleet, PlanRecords store) {
        return fleet.enabled()
                ? new FleetGuard(new MeltdownGuard(fleet.minClusters(), fleet.minPercent()), fleet.window(),
                        store::clustersRecoveringSince)
                : FleetGuard.OFF;
    }

    public Planner planner() {
        return planner;
    }

    /** Now, at the precision PostgreSQL keeps. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // incidents

    /**
     * Plans an opened incident: stores the plan and starts it, or, when the cluster is busy with another plan, keeps
     * the incident in the database (in the transaction that found the cluster busy) to plan when that one ends.
     */
    public void plan(String tag, IncidentOpened incident) {
        plan(tag, incident, false);
    }

    /**
     * Plans an incident that waited for its cluster's plan to end. It is taken from the database with its plan stored,
     * in one transaction: an incident resolved while its plan was being made gets none.
     */
    public void planDeferred(String tag, IncidentOpened incident) {
        plan(tag, incident, true);
    }

    private void plan(String tag, IncidentOpened incident, boolean deferredOne) {
        Planner.Planning planning = planner.plan(incident, UUID.randomUUID().toString(), now());
        if (planning instanceof Planner.Skip skip) {
            if (skip.warning()) {
                LOG.warnf("%s no plan: %s", tag, skip.reason());
            } else {
                LOG.infof("%s no plan: %s", tag, skip.reason());
            }
            metrics.incident("skipped");
            // a deferred incident that needs no plan any more (the cluster changed meanwhile) stops waiting
            deferred.forget(incident.clusterId(), incident.incidentId());
            return;
        }
        PlanRecords.Created created = store(tag, (Planner.Create) planning, incident, deferredOne);
        if (created instanceof PlanRecords.ClusterBusy) {
            LOG.infof("%s kept in the database: it is planned when the cluster's active plan ends", tag);
        }
    }

    /** The cluster's plan ended here: plan the incident that found it busy, if one waits. */
    void onPlanEnded(@Observes PlanEnded ended) {
        deferred.waiting(ended.clusterId()).ifPresent(incident -> planDeferred("[cluster=" + incident.clusterId()
                + " incident=" + incident.incidentId() + " deferred until plan " + ended.planId() + " ended]", incident));
    }

    /** A starting replica plans the deferred incidents whose cluster's plan ended while no replica was there to. */
    void onStart(@Observes StartupEvent event) {
        Thread sweep = new Thread(this::planDeferred, "cpr-deferred-incidents");
        sweep.setDaemon(true);
        sweep.start();
    }

    /** Plans every deferred incident whose cluster has no active plan now. Blocking. */
    public void planDeferred() {
        try {
            for (IncidentOpened incident : deferred.all()) {
                String tag = "[cluster=" + incident.clusterId() + " incident=" + incident.incidentId() + " deferred]";
                if (store.activeOn(incident.clusterId()).isEmpty()) {
                    planDeferred(tag, incident);
                } else {
                    LOG.infof("%s still waits for the cluster's active plan", tag);
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "planning the deferred incidents at start failed (%s); each is planned when its cluster's "
                    + "plan ends", e.getMessage());
        }
    }

    /**
     * Stores a plan the planner made for an incident and starts it (or publishes its waiting state); a busy cluster
     * keeps the incident deferred, in the same transaction.
     */
    private PlanRecords.Created store(String tag, Planner.Create create, IncidentOpened incident, boolean deferredOne) {
        PlanRecords.Created created;
        try {
            created = createWithRetry(create.plan(), deferredOne
                    ? () -> store.createFromDeferred(create.plan(), incident)
                    : () -> store.create(create.plan(), incident));
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                LOG.infof("%s a concurrent replica stored a plan for this incident or cluster first", tag);
                metrics.incident("conflict");
                return new PlanRecords.Duplicate(null);
            }
            throw e;
        }
        if (created instanceof PlanRecords.Stored stored) {
            RecoveryPlan plan = stored.plan();
            LOG.infof("%s plan %s %s%s stored as %s: %s", tag, plan.id(), plan.plan(),
                    plan.targetMember() != null ? " for " + plan.targetMember() : "", plan.state(), plan.message());
            if (!create.waiting().isEmpty()) {
                // health-monitor resolves the incident once this plan's member is back and opens one naming those
                // still down (issue #15): that one is planned in turn, deferred while this plan is active
                LOG.infof("%s one member at a time: %s wait for the incident health-monitor opens for them once %s is "
                        + "back", tag, create.waiting(), plan.targetMember());
            }
            metrics.incident(plan.state() == PlanState.FAILED ? "failed-at-proposal" : "planned");
            runner.launch(plan);
            if (plan.state() == PlanState.FAILED) {
                metrics.planFinished(plan);
            }
        } else if (created instanceof PlanRecords.Duplicate duplicate) {
            LOG.infof("%s already handled by plan %s (redelivery)", tag, duplicate.existingPlanId());
            metrics.incident("duplicate");
        } else if (created instanceof PlanRecords.ClusterBusy busy) {
            LOG.warnf("%s plan %s is still active on the cluster: one plan at a time, no new plan now",
                    tag, busy.activePlanId());
            metrics.incident("cluster-busy");
        } else if (created instanceof PlanRecords.NoLongerWaiting) {
            LOG.infof("%s stopped waiting while its plan was being made (resolved, or taken by another replica): "
                    + "plan %s %s not stored", tag, create.plan().id(), create.plan().plan());
            metrics.incident("no-longer-waiting");
        }
        return created;
    }

    private PlanRecords.Created createWithRetry(RecoveryPlan plan) {
        return createWithRetry(plan, () -> store.create(plan));
    }

    private PlanRecords.Created createWithRetry(RecoveryPlan plan, Supplier<PlanRecords.Created> create) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return create.get();
            } catch (RuntimeException e) {
                if (isUniqueViolation(e)) {
                    throw e;
                }
                last = e;
                LOG.warnf("[cluster=%s plan=%s] storing the plan failed (%s), attempt %d of 3", plan.clusterId(),
                        plan.id(), e.getMessage(), attempt);
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }

    // REST trigger

    /**
     * A manual trigger: validates it (unknown cluster, plan or member, missing member, unusable snapshot: 400;
     * no verified snapshot: 409; backup-service down: 503), builds the plan as the policy says and stores it
     * (a busy cluster: 409 naming the active plan), or only shows it for a dry run.
     */
    public Triggered trigger(String clusterId, String planName, String member, String snapshotId, boolean dryRun,
            String who) {
        return trigger(clusterId, planName, member, snapshotId, null, null, dryRun, who);
    }

    /**
     * A manual trigger with a point-in-time target ({@code targetRevision} or {@code targetTime}, for
     * {@code etcd-point-in-time-restore} only: any other plan given either is a 400 naming it).
     */
    public Triggered trigger(String clusterId, String planName, String member, String snapshotId, Long targetRevision,
            Instant targetTime, boolean dryRun, String who) {
        if (clusterId == null || clusterId.isBlank()) {
            throw RecoveryRequestRefused.badRequest("Missing cluster", "'cluster' is required");
        }
        ClusterSpec cluster = inventory.cluster(clusterId).orElseThrow(() -> RecoveryRequestRefused.badRequest(
                "Unknown cluster", "cluster '" + clusterId + "' is not in the inventory; known clusters: "
                        + inventory.clusters().stream().map(ClusterSpec::id).toList()));
        PlanType type = PlanTypes.find(planName).orElseThrow(() -> RecoveryRequestRefused.badRequest("Unknown plan",
                "plan '" + planName + "' is not known; known plans: " + PlanTypes.names()));
        if (!type.takesTarget()) {
            refuseTarget("targetRevision", targetRevision, planName);
            refuseTarget("targetTime", targetTime, planName);
        }
        String planId = UUID.randomUUID().toString();
        Instant now = now();
        RecoveryPlan plan;
        try {
            plan = type.trigger(new ManualTrigger(cluster, planName, member, snapshotId, who, planId, "manual-" + planId,
                    now, targetRevision, targetTime), planner);
        } catch (TriggerRefused refused) {
            throw RecoveryRequestRefused.of(refused);
        }
        if (dryRun) {
            RecoveryPlan shown = plan.withState(PlanState.PROPOSED, "dry run (nothing stored, nothing runs): "
                    + plan.message(), now);
            return new Triggered(shown, false);
        }
        PlanRecords.Created created;
        try {
            created = createWithRetry(plan);
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                throw busy(cluster.id());
            }
            throw e;
        }
        if (created instanceof PlanRecords.ClusterBusy) {
            throw busy(cluster.id());
        }
        LOG.infof("[cluster=%s plan=%s] %s triggered by %s, stored as %s: %s", cluster.id(), plan.id(), plan.plan(),
                who, plan.state(), plan.message());
        runner.launch(plan);
        return new Triggered(plan, true);
    }

    private static void refuseTarget(String parameter, Object value, String planName) {
        if (value != null) {
            throw RecoveryRequestRefused.badParameter(parameter, "'" + parameter + "' is only for "
                    + PlanNames.ETCD_POINT_IN_TIME_RESTORE + "; " + planName + " does not restore to a point in time");
        }
    }

    private RecoveryRequestRefused busy(String clusterId) {
        Optional<RecoveryPlan> active = store.activeOn(clusterId);
        return RecoveryRequestRefused.conflict("cluster " + clusterId + " already has an active plan: "
                + active.map(p -> p.id() + " (" + p.plan() + ", " + p.state() + ")").orElse("(just finished; retry)")
                + "; one plan at a time per cluster");
    }

    /** The incident of a plan still waiting for a person resolved by itself: the plan is withdrawn. */
    public void incidentResolved(IncidentResolved resolved, String tag) {
        deferred.forget(resolved.clusterId(), resolved.incidentId());
        Optional<RecoveryPlan> active = store.activeOn(resolved.clusterId());
        if (active.isEmpty() || !resolved.incidentId().equals(active.get().incidentId())) {
            return;
        }
        RecoveryPlan plan = active.get();
        String failure = resolved.failure() == null ? "incident" : resolved.failure().label();
        Optional<RecoveryPlan> withdrawn = Decisions.withdraw(plan, resolved.incidentId(), failure,
                resolved.resolvedAt(), now());
        if (withdrawn.isEmpty()) {
            LOG.infof("%s resolved while plan %s is %s: it carries on", tag, plan.id(), plan.state());
            return;
        }
        try {
            store.save(withdrawn.get());
        } catch (PlanStore.ConcurrentPlanUpdateException e) {
            LOG.infof("%s plan %s changed meanwhile (%s): not withdrawn", tag, plan.id(), e.getMessage());
            return;
        }
        LOG.warnf("%s %s", withdrawn.get().tag(), withdrawn.get().message());
        runner.transitioned(withdrawn.get());
    }

    // decisions

    /**
     * Cancels a plan: a waiting one at once; a RUNNING one stops before its next step (a step in progress,
     * destructive or not, is allowed to finish).
     */
    public Decided cancel(String planId, String who) {
        RecoveryPlan plan = find(planId);
        Instant now = now();
        Decisions.Outcome outcome = Decisions.cancel(plan, who, now);
        if (outcome instanceof Decisions.Refused refused) {
            throw RecoveryRequestRefused.conflict(refused.why());
        }
        if (outcome instanceof Decisions.Applied applied) {
            saveOr409(applied.plan());
            LOG.infof("%s %s", applied.plan().tag(), applied.plan().message());
            runner.transitioned(applied.plan());
            return new Decided(applied.plan(), PlanState.CANCELLED, applied.plan().message(), true);
        }
        Decisions.CancelRequested requested = (Decisions.CancelRequested) outcome;
        boolean recorded = store.requestCancel(planId, who, now);
        if (!recorded) {
            RecoveryPlan again = find(planId);
            throw RecoveryRequestRefused.conflict("plan " + planId + " is " + again.state() + " now: nothing to cancel");
        }
        String detail = "cancel requested by " + who + ": the plan stops before its next step and becomes CANCELLED; "
                + (requested.runningStep() == null ? "no step is in progress"
                : "step " + requested.runningStep() + (requested.destructive() ? " (destructive)" : "")
                + " is in progress and is allowed to finish first");
        LOG.warnf("%s %s", plan.tag(), detail);
        return new Decided(plan, PlanState.RUNNING, detail, false);
    }

    public RecoveryPlan find(String planId) {
        try {
            UUID.fromString(planId);
        } catch (IllegalArgumentException e) {
            throw RecoveryRequestRefused.badParameter("id", "plan id '" + planId + "' is not a UUID");
        }
        return store.find(planId).orElseThrow(() -> RecoveryRequestRefused.notFound("no recovery plan " + planId));
    }

    private void saveOr409(RecoveryPlan next) {
        try {
            store.save(next);
        } catch (PlanStore.ConcurrentPlanUpdateException e) {
            throw RecoveryRequestRefused.conflict("plan " + next.id() + " changed meanwhile: " + e.getMessage());
        }
    }

    /** PostgreSQL unique_violation (23505) anywhere in the cause chain. */
    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage());
            if (text.contains("23505") || text.contains("duplicate key value")) {
                return true;
            }
        }
        return false;
    }
}
