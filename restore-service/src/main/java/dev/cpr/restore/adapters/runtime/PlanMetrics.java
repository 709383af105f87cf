package dev.cpr.restore.adapters.runtime;

import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Metrics: {@code cpr_restore_plans_total{plan,outcome}} (finished plans), {@code cpr_restore_step_duration}
 * {@code {plan,step,outcome}}, {@code cpr_restore_plan_rto} and {@code cpr_restore_incidents_total{outcome}}.
 */
@ApplicationScoped
public class PlanMetrics implements PlanListener {

    private final MeterRegistry registry;

    public PlanMetrics(MeterRegistry registry) {
        this.registry = registry;
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

    /** What the consumer did with an incident record: planned, duplicate, cluster-busy, skipped, malformed. */
    public void incident(String outcome) {
        registry.counter("cpr.restore.incidents", "outcome", outcome).increment();
    }
}
