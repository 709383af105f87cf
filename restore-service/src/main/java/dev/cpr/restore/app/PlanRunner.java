package dev.cpr.restore.app;

import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.kernel.Backoff;
import dev.cpr.restore.domain.plan.Decisions;
import dev.cpr.restore.domain.plan.PlanEngine;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStore;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plan.RetryPolicy;
import dev.cpr.kernel.Sleeper;
import dev.cpr.restore.domain.plan.StepCatalog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs plans on worker threads (one thread per running plan, never the event loop): new plans from the
 * incident consumer and REST, approved plans, and every RUNNING plan nobody runs (resumed where it stopped).
 * <p>
 * One runner per plan across replicas: a replica runs a RUNNING plan only after it took the plan's lease
 * ({@code runner_id}, {@code lease_until}, a conditional UPDATE), renews its leases every third of
 * {@code cpr.restore.lease-duration} while it runs them, and takes over a RUNNING plan whose lease has
 * expired (its replica died). The runner id defaults to {@code <host>:<http port>}, so a restarted replica
 * resumes its own plans at once. The store's sequence check is the backstop: a runner that lost its lease
 * stops at its next transition.
 * <p>
 * Housekeeping (every {@code cpr.restore.housekeeping-interval}): plans waiting for approval longer than
 * {@code cpr.restore.approval-timeout} become EXPIRED, and RUNNING plans without a live lease are taken over.
 */
@ApplicationScoped
public class PlanRunner {

    private static final Logger LOG = Logger.getLogger(PlanRunner.class);

    /** When the store or the broker fails mid-plan: reload the stored plan and go on, a few times. */
    private static final RetryPolicy RUN_RETRY =
            new RetryPolicy(5, new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10)));

    private final PlanRecords store;
    private final dev.cpr.contracts.inventory.Inventory inventory;
    private final RecoveryEvents publisher;
    private final PlanMetrics metrics;
    private final PlanEngine engine;
    private final Clock clock;
    private final String runnerId;
    private final Duration leaseDuration;
    private final Duration approvalTimeout;
    private final Duration housekeepingInterval;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(named("cpr-plan-timer"));
    private final ExecutorService plans = Executors.newCachedThreadPool(named("cpr-plan"));
    private final ExecutorService steps = Executors.newCachedThreadPool(named("cpr-plan-step"));
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final Event<PlanEnded> ended;

    public PlanRunner(PlanRecords store, dev.cpr.contracts.inventory.Inventory inventory, StepCatalog catalog, RecoveryEvents publisher,
            PlanMetrics metrics, FaultInjection faultInjection, Clock clock, RestoreConfig config,
            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8083") int httpPort, Event<PlanEnded> ended) {
        this.ended = ended;
        this.store = store;
        this.inventory = inventory;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.leaseDuration = config.leaseDuration();
        this.approvalTimeout = config.approvalTimeout();
        this.housekeepingInterval = config.housekeepingInterval();
        this.runnerId = config.runnerId().filter(s -> !s.isBlank()).orElseGet(() -> hostName() + ":" + httpPort);
        this.engine = new PlanEngine(store, catalog, PlanListener.all(publisher, metrics, faultInjection), steps,
                clock, Sleeper.REAL);
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("plan runner %s: lease %s, approval timeout %s", runnerId, leaseDuration, approvalTimeout);
        plans.submit(this::resumeRunning);
        long renewMillis = Math.max(100, leaseDuration.toMillis() / 3);
        timers.scheduleWithFixedDelay(this::renewLeases, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::housekeeping, housekeepingInterval.toMillis(),
                housekeepingInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        timers.shutdownNow();
        plans.shutdownNow();
        steps.shutdownNow();
    }

    public String runnerId() {
        return runnerId;
    }

    /** A stored plan changed state outside the engine (approved, rejected, cancelled): publish it, run it if RUNNING. */
    public void transitioned(RecoveryPlan plan) {
        plans.submit(() -> {
            publisher.transitioned(plan);
            if (plan.state().isFinal()) {
                metrics.planFinished(plan);
                planEnded(plan.clusterId(), plan.id());
            }
            if (plan.state() == PlanState.RUNNING) {
                run(plan);
            }
        });
    }

    private void renewLeases() {
        Set<String> mine = Set.copyOf(active);
        if (mine.isEmpty()) {
            return;
        }
        try {
            int held = store.renew(mine, runnerId, clock.instant().plus(leaseDuration));
            if (held < mine.size()) {
                LOG.warnf("runner %s holds %d of the leases of its %d running plans: another replica took some over",
                        runnerId, held, mine.size());
            }
        } catch (RuntimeException e) {
            LOG.warnf("runner %s could not renew its leases: %s", runnerId, e.getMessage());
        }
    }

    /** Expires plans that waited too long for approval; takes over RUNNING plans nobody holds. */
    void housekeeping() {
        try {
            Instant now = clock.instant();
            List<RecoveryPlan> awaiting = store.awaitingApproval();
            metrics.awaitingApproval(awaiting);
            for (RecoveryPlan waiting : awaiting) {
                Decisions.expire(waiting, approvalTimeout, now).ifPresent(expired -> {
                    try {
                        store.save(expired);
                        LOG.warnf("%s %s", expired.tag(), expired.message());
                        transitioned(expired);
                    } catch (PlanStore.ConcurrentPlanUpdateException e) {
                        LOG.infof("%s changed while expiring it: %s", waiting.tag(), e.getMessage());
                    }
                });
            }
            for (RecoveryPlan orphan : store.runningWithoutLease(now)) {
                if (inventory.cluster(orphan.clusterId()).isEmpty()) {
                    LOG.debugf("%s RUNNING without a lease, but its cluster is not in this inventory: left alone",
                            orphan.tag());
                } else if (!active.contains(orphan.id())) {
                    LOG.warnf("%s RUNNING without a live lease (its runner is gone): taking it over", orphan.tag());
                    plans.submit(() -> run(orphan));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("housekeeping failed: %s", e.getMessage());
        }
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

    private void run(RecoveryPlan given) {
        String id = given.id();
        String tag = given.tag();
        if (!active.add(id)) {
            LOG.infof("%s already running in this service", tag);
            return;
        }
        try {
            boolean claimed;
            try {
                Instant now = clock.instant();
                claimed = store.claim(id, runnerId, now, now.plus(leaseDuration));
            } catch (RuntimeException e) {
                LOG.errorf("%s cannot take the plan's lease (%s): it is retried by housekeeping", tag,
                        e.getMessage());
                return;
            }
            if (!claimed) {
                LOG.infof("%s another replica holds the lease (or it is no longer RUNNING): not running it here",
                        tag);
                return;
            }
            RecoveryPlan current = store.find(id).filter(p -> p.state() == PlanState.RUNNING).orElse(null);
            for (int attempt = 1; current != null; attempt++) {
                try {
                    engine.run(current);
                    planEnded(current.clusterId(), id);
                    return;
                } catch (PlanStore.ConcurrentPlanUpdateException e) {
                    LOG.warnf("%s stopped: %s", tag, e.getMessage());
                    return;
                } catch (RuntimeException e) {
                    if (e.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException("shutting down");
                    }
                    if (attempt >= RUN_RETRY.maxAttempts()) {
                        LOG.errorf(e, "%s stopped after %d tries (store or broker failing); it resumes at the next "
                                + "start", tag, attempt);
                        return;
                    }
                    Duration delay = RUN_RETRY.backoff().delayAfter(attempt);
                    LOG.errorf("%s run interrupted by %s; reloading the stored plan in %d ms", tag,
                            e.getMessage(), delay.toMillis());
                    Thread.sleep(delay.toMillis());
                    current = store.find(id).filter(p -> p.state() == PlanState.RUNNING).orElse(null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warnf("%s interrupted (shutting down): it resumes at the next start", tag);
        } finally {
            active.remove(id);
        }
    }

    /** Tells who waits for the cluster (deferred incidents); their failure must not disturb the runner. */
    private void planEnded(String clusterId, String planId) {
        try {
            ended.fire(new PlanEnded(clusterId, planId));
        } catch (RuntimeException e) {
            LOG.errorf(e, "[cluster=%s plan=%s] planning what waited for the cluster failed: %s", clusterId, planId,
                    e.getMessage());
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
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
