package dev.cpr.restore.app;

import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Metrics: {@code cpr_restore_plans_total{plan,outcome}} (finished plans), {@code cpr_restore_step_duration}
 * {@code {plan,step,outcome}}, {@code cpr_restore_plan_rto} and {@code cpr_restore_incidents_total{outcome}}, and
 * {@code cpr_restore_approval_wait_seconds{cluster}}: how long the cluster's oldest plan has been waiting for approval
 * (0 when none waits), taken from the plan store at every housekeeping run, so every replica reports the same.
 */
@ApplicationScoped
public class PlanMetrics implements PlanListener {

    private final MeterRegistry registry;
    private final Clock clock;
    /** Per cluster that ever waited: since when its oldest waiting plan waits (empty once none waits). */
    private final Map<String, AtomicReference<Instant>> waitingSince = new ConcurrentHashMap<>();

    public PlanMetrics(MeterRegistry registry, Clock clock, Inventory inventory) {
        this.registry = registry;
        this.clock = clock;
        // every cluster's wait series exists from the start (at 0), so dashboards and alerts see it before a plan waits
        inventory.clusters().forEach(cluster -> waitGauge(cluster.id()));
        for (String plan : PlanNames.ALL) {
            // at zero from the start, so the plan-failed alert's increase() sees the first failure too
            registry.counter("cpr.restore.plans", "plan", plan, "outcome", "failed");
        }
    }

    /** The plans now AWAITING_APPROVAL (all of them, from the store). */
    public void awaitingApproval(List<RecoveryPlan> waiting) {
        Map<String, Instant> oldest = new HashMap<>();
        for (RecoveryPlan plan : waiting) {
            // the same start as the approval timeout counts from (Decisions.expire)
            Instant since = plan.updatedAt() != null ? plan.updatedAt() : plan.createdAt();
            oldest.merge(plan.clusterId(), since, (a, b) -> a.isBefore(b) ? a : b);
        }
        oldest.keySet().forEach(this::waitGauge);
        waitingSince.forEach((cluster, since) -> since.set(oldest.get(cluster)));
    }

    private AtomicReference<Instant> waitGauge(String cluster) {
        return waitingSince.computeIfAbsent(cluster, c -> {
            AtomicReference<Instant> since = new AtomicReference<>();
            Gauge.builder("cpr.restore.approval.wait", since, s -> waitSeconds(s.get(), clock.instant()))
                    .description("How long the cluster's oldest plan has been awaiting approval, 0 when none waits")
                    .baseUnit("seconds").tag("cluster", c).register(registry);
            return since;
        });
    }

    static double waitSeconds(Instant since, Instant now) {
        return since == null ? 0 : Math.max(0, Duration.between(since, now).toMillis() / 1000.0);
    }

    @Override
    public void stepFinished(RecoveryPlan plan, PlanStep step, Duration took) {
        Timer.builder("cpr.restore.step.duration")
                .tag("plan", plan.plan()).tag("step", step.name()).tag("outcome", step.state().name().toLowerCase())
                .register(registry).record(took);
    }

    @Override
    public void planFinished(RecoveryPlan plan) {
        registry.counter("cpr.restore.plans", "plan", plan.plan(), "outcome", plan.state().name().toLowerCase())
                .increment();
        if (plan.rtoMillis() != null) {
            Timer.builder("cpr.restore.plan.rto").tag("plan", plan.plan()).register(registry)
                    .record(Duration.ofMillis(plan.rtoMillis()));
        }
    }

    /**
     * What was done with an incident: planned, duplicate, cluster-busy, skipped, malformed, or no-longer-waiting (a
     * deferred one resolved while its plan was being made).
     */
    public void incident(String outcome) {
        registry.counter("cpr.restore.incidents", "outcome", outcome).increment();
    }
}
