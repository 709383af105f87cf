package dev.cpr.restore.adapters.runtime;

import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.plan.Backoff;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStore;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.RetryPolicy;
import dev.cpr.restore.domain.plan.Sleeper;
import dev.cpr.restore.domain.plan.StepCatalog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs plans on worker threads (one thread per running plan, never the event loop): new plans from the
 * incident consumer, and at start-up every plan the store holds as RUNNING (resumed where it stopped).
 * A plan runs at most once at a time in this JVM; across replicas the store's sequence check stops a
 * second runner at its first transition.
 */
@ApplicationScoped
public class PlanRunner {

    private static final Logger LOG = Logger.getLogger(PlanRunner.class);

    /** When the store or the broker fails mid-plan: reload the stored plan and go on, a few times. */
    private static final RetryPolicy RUN_RETRY =
            new RetryPolicy(5, new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10)));

    private final PlanStore store;
    private final RecoveryPublisher publisher;
    private final PlanEngine engine;
    private final ExecutorService plans = Executors.newCachedThreadPool(named("cpr-plan"));
    private final ExecutorService steps = Executors.newCachedThreadPool(named("cpr-plan-step"));
    private final Set<String> active = ConcurrentHashMap.newKeySet();

    public PlanRunner(PlanStore store, StepCatalog catalog, RecoveryPublisher publisher, PlanMetrics metrics,
            FaultInjection faultInjection, Clock clock) {
        this.store = store;
        this.publisher = publisher;
        this.engine = new PlanEngine(store, catalog, PlanListener.all(publisher, metrics, faultInjection), steps,
                clock, Sleeper.REAL);
    }

    void onStart(@Observes StartupEvent event) {
        plans.submit(this::resumeRunning);
    }

    void onStop(@Observes ShutdownEvent event) {
        plans.shutdownNow();
        steps.shutdownNow();
    }

    /** A plan was just stored: publish its first state, and run it if it is RUNNING. */
    public void launch(RecoveryPlan created) {
        plans.submit(() -> {
            publisher.transitioned(created);
            if (created.state() == PlanState.RUNNING) {
                run(created);
            }
        });
    }

    /** Plan ids being run by this JVM right now. */
    public Set<String> active() {
        return Set.copyOf(active);
    }

    private void resumeRunning() {
        List<RecoveryPlan> running;
        try {
            running = store.running();
        } catch (RuntimeException e) {
            LOG.errorf("cannot list RUNNING plans to resume: %s", e.getMessage());
            return;
        }
        for (RecoveryPlan plan : running) {
            LOG.warnf("%s resuming RUNNING plan %s after a restart", plan.tag(), plan.plan());
            plans.submit(() -> run(plan));
        }
    }

    private void run(RecoveryPlan plan) {
        if (!active.add(plan.id())) {
            LOG.infof("%s already running in this service", plan.tag());
            return;
        }
        try {
            RecoveryPlan current = plan;
            for (int attempt = 1; current != null; attempt++) {
                try {
                    engine.run(current);
                    return;
                } catch (PlanStore.ConcurrentPlanUpdateException e) {
                    LOG.warnf("%s stopped: %s", plan.tag(), e.getMessage());
                    return;
                } catch (RuntimeException e) {
                    if (e.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException("shutting down");
                    }
                    if (attempt >= RUN_RETRY.maxAttempts()) {
                        LOG.errorf(e, "%s stopped after %d tries (store or broker failing); it resumes at the next "
                                + "start", plan.tag(), attempt);
                        return;
                    }
                    Duration delay = RUN_RETRY.backoff().delayAfter(attempt);
                    LOG.errorf("%s run interrupted by %s; reloading the stored plan in %d ms", plan.tag(),
                            e.getMessage(), delay.toMillis());
                    Thread.sleep(delay.toMillis());
                    current = store.find(plan.id()).filter(p -> p.state() == PlanState.RUNNING).orElse(null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warnf("%s interrupted (shutting down): it resumes at the next start", plan.tag());
        } finally {
            active.remove(plan.id());
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
