package dev.cpr.restore.adapters.persistence;

import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.app.ApprovalLog;
import dev.cpr.restore.app.PlanRecords;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The engine's and the app's synchronous {@link PlanRecords} over the reactive repository: each call runs on a Vert.x
 * context and blocks the calling worker thread (never call it on the event loop) until it is committed.
 */
@ApplicationScoped
public class PanachePlanStore implements PlanRecords {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final PlanRepository repository;
    private final ApprovalAuditRepository audit;

    public PanachePlanStore(PlanRepository repository, ApprovalAuditRepository audit) {
        this.repository = repository;
        this.audit = audit;
    }

    @Override
    public void save(RecoveryPlan plan) {
        await(() -> repository.save(plan));
    }

    @Override
    public void saveDecided(RecoveryPlan plan, ApprovalDecided decided, ApprovalLog.Entry accepted) {
        await(() -> repository.saveDecided(plan, decided, () -> audit.append(accepted)));
    }

    @Override
    public Created create(RecoveryPlan plan) {
        return await(() -> repository.create(plan));
    }

    @Override
    public Created create(RecoveryPlan plan, IncidentOpened incident) {
        return await(() -> repository.create(plan, incident));
    }

    @Override
    public Created createFromDeferred(RecoveryPlan plan, IncidentOpened incident) {
        return await(() -> repository.createFromDeferred(plan, incident));
    }

    @Override
    public Optional<RecoveryPlan> find(String planId) {
        return await(() -> repository.find(planId));
    }

    @Override
    public List<RecoveryPlan> running() {
        return await(() -> repository.inState(PlanState.RUNNING));
    }

    @Override
    public List<RecoveryPlan> awaitingApproval() {
        return await(() -> repository.inState(PlanState.AWAITING_APPROVAL));
    }

    @Override
    public Optional<String> cancelRequested(String planId) {
        return await(() -> repository.cancelRequestedBy(planId));
    }

    @Override
    public Optional<RecoveryPlan> activeOn(String clusterId) {
        return await(() -> repository.activeOn(clusterId));
    }

    @Override
    public Set<String> clustersRecoveringSince(Instant since) {
        return await(() -> repository.clustersRecoveringSince(since));
    }

    @Override
    public boolean requestCancel(String planId, String who, Instant now) {
        return await(() -> repository.requestCancel(planId, who, now));
    }

    @Override
    public boolean claim(String planId, String runnerId, Instant now, Instant leaseUntil) {
        return await(() -> repository.claim(planId, runnerId, now, leaseUntil));
    }

    @Override
    public int renew(Collection<String> planIds, String runnerId, Instant leaseUntil) {
        return await(() -> repository.renew(planIds, runnerId, leaseUntil));
    }

    @Override
    public List<RecoveryPlan> runningWithoutLease(Instant now) {
        return await(() -> repository.runningWithoutLease(now));
    }

    public static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> work.get().ifNoItem().after(TIMEOUT).fail());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t.getMessage(), t);
        }
    }
}
