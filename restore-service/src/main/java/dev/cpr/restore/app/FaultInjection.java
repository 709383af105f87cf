package dev.cpr.restore.app;

import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.plan.PlanListener;
import dev.cpr.restore.domain.plan.PlanStep;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * FAULT INJECTION for the crash-resume test, never for production: with
 * {@code cpr.restore.fault-injection.halt-after-step=<step name>} the JVM halts with exit code 137 (as if
 * SIGKILLed) right after that step is stored and published as done (SUCCEEDED, or SKIPPED when its check
 * found nothing to do: either way a step boundary). Restarted without the setting, the service resumes
 * the plan at the next step.
 */
@ApplicationScoped
public class FaultInjection implements PlanListener {

    private static final Logger LOG = Logger.getLogger(FaultInjection.class);

    private final Optional<String> haltAfterStep;

    public FaultInjection(RestoreConfig config) {
        this.haltAfterStep = config.faultInjection().haltAfterStep().filter(s -> !s.isBlank());
        haltAfterStep.ifPresent(step -> LOG.warnf("FAULT INJECTION ARMED: the service will halt after step %s", step));
    }

    @Override
    public void stepFinished(RecoveryPlan plan, PlanStep step, Duration took) {
        if (step.state().isDone() && haltAfterStep.filter(step.name()::equals).isPresent()) {
            LOG.errorf("%s FAULT INJECTION: step %s %s and is stored; halting the JVM now "
                    + "(cpr.restore.fault-injection.halt-after-step=%s)", plan.tag(), step.name(), step.state(),
                    step.name());
            Runtime.getRuntime().halt(137);
        }
    }
}
