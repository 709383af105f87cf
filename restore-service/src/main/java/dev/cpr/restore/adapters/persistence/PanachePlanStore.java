package dev.cpr.restore.adapters.persistence;

import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.plan.PlanStore;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The engine's synchronous {@link PlanStore} over the reactive repository: each call runs on a Vert.x
 * context and blocks the calling worker thread (never call it on the event loop) until it is committed.
 */
@ApplicationScoped
public class PanachePlanStore implements PlanStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final PlanRepository repository;

    public PanachePlanStore(PlanRepository repository) {
        this.repository = repository;
    }

    @Override
    public void save(RecoveryPlan plan) {
        await(() -> repository.save(plan));
    }

    /** A transition a person decided over REST: the plan, its event, the decision's event and its audit row, at once. */
    public void saveDecided(RecoveryPlan plan, ApprovalDecided decided, Supplier<Uni<Void>> auditRow) {
        await(() -> repository.saveDecided(plan, decided, auditRow));
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
