package dev.cpr.restore.domain.plan;

import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.kernel.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Doing, apart from deciding: runs a RUNNING plan to its end. Asks {@link PlanDecider} what is next,
 * executes that step, stores the transition and tells the {@link PlanListener} after every transition.
 * <p>
 * One step: check (already done? SKIPPED) -> RUNNING with one more attempt -> action -> verify ->
 * SUCCEEDED. A failing attempt is retried after the step's backoff; when its attempts are used up the
 * step and the plan FAIL with the reason. Check, action and verify each run under the step's timeout: a
 * part that times out FAILS the step and the plan at once ("timed out after N s"), and so does a
 * {@link StepSpec.FatalStepException}. Before each step the engine looks for a cancel request: the plan
 * then stops there and is CANCELLED (a step that is running is never interrupted by a cancel).
 * Synchronous: call it on a worker thread, one call per plan.
 */
public final class PlanEngine {

    private static final Logger LOG = Logger.getLogger(PlanEngine.class.getName());

    private final PlanStore store;
    private final StepCatalog catalog;
    private final PlanListener listener;
    private final ExecutorService stepExecutor;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PlanDecider decider = new PlanDecider();

    /** How often a running step's output so far is stored and published: Slack allows a message update a second. */
    static final Duration LIVE_OUTPUT_INTERVAL = Duration.ofSeconds(2);

    public PlanEngine(PlanStore store, StepCatalog catalog, PlanListener listener, ExecutorService stepExecutor,
            Clock clock, Sleeper sleeper) {
        this.store = store;
        this.catalog = catalog;
        this.listener = listener;
        this.stepExecutor = stepExecutor;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Runs the plan until it is no longer RUNNING; returns it as last stored. */
    public RecoveryPlan run(RecoveryPlan plan) throws InterruptedException {
        List<StepSpec> specs;
        try {
            specs = catalog.stepsFor(plan);
            checkSameSteps(plan, specs);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, plan.tag() + " cannot run: " + e.getMessage());
            if (plan.state() == PlanState.RUNNING) {
                return finish(plan.withState(PlanState.FAILED, "cannot run: " + e.getMessage(), now()));
            }
            return plan;
        }
        while (true) {
            PlanDecider.Decision decision = decider.decide(plan);
            if (decision instanceof PlanDecider.Idle) {
                return plan;
            }
            if (decision instanceof PlanDecider.Complete) {
                RecoveryPlan done = plan.succeeded("all " + plan.steps().size() + " steps done", now());
                LOG.info(plan.tag() + " SUCCEEDED, RTO " + done.rtoMillis() + " ms");
                return finish(done);
            }
            if (decision instanceof PlanDecider.Fail fail) {
                return finish(plan.withState(PlanState.FAILED, fail.reason(), now()));
            }
            PlanDecider.RunStep run = (PlanDecider.RunStep) decision;
            Optional<String> cancelledBy = cancelRequest(plan);
            if (cancelledBy.isPresent()) {
                String why = "cancelled by " + cancelledBy.get() + " before step " + plan.step(run.index()).name()
                        + " (" + doneSteps(plan) + " of " + plan.steps().size() + " steps done)";
                LOG.warning(plan.tag() + " " + why);
                return finish(plan.decided(PlanState.CANCELLED, cancelledBy.get(), now(), why, now()));
            }
            if (run.interrupted()) {
                LOG.warning(plan.tag() + " step " + plan.step(run.index()).name()
                        + " was interrupted while RUNNING: checking it again");
            }
            plan = runStep(plan, specs.get(run.index()), run.index());
        }
    }

    private RecoveryPlan runStep(RecoveryPlan plan, StepSpec spec, int index) throws InterruptedException {
        Instant began = now();
        int checkFailures = 0;
        while (true) {
            PlanStep step = plan.step(index);
            Optional<String> done;
            try {
                done = timed(spec, "check", spec.check()::alreadyDone);
            } catch (StepAttemptException e) {
                if (e.fatal) {
                    return failStep(plan, step, spec, began, e.getMessage());
                }
                checkFailures++;
                if (checkFailures >= spec.retry().maxAttempts()) {
                    return failStep(plan, step, spec, began, "check failed " + checkFailures + " times: " + e.getMessage());
                }
                LOG.warning(plan.tag() + " step " + spec.name() + " check failed (" + e.getMessage() + "), retrying");
                sleeper.sleep(spec.retry().backoff().delayAfter(checkFailures));
                continue;
            }
            if (done.isPresent()) {
                String why = done.get().startsWith(StepSpec.NOT_NEEDED)
                        ? done.get().substring(StepSpec.NOT_NEEDED.length()) : "already done: " + done.get();
                RecoveryPlan skipped = transition(plan.withStep(step.skipped(now(), why), now()));
                LOG.info(plan.tag() + " step " + spec.name() + " SKIPPED: " + why);
                listener.stepFinished(skipped, skipped.step(index), Duration.between(began, now()));
                return skipped;
            }
            if (step.attempts() >= spec.retry().maxAttempts()) {
                return failStep(plan, step, spec, began, "no attempts left after " + step.attempts()
                        + (step.output() != null ? " (" + step.output() + ")" : ""));
            }
            plan = transition(plan.withStep(step.attemptStarted(now()), now()));
            step = plan.step(index);
            LOG.info(plan.tag() + " step " + spec.name() + " RUNNING (attempt " + step.attempts() + ")");
            LiveStepOutput live = new LiveStepOutput(plan, index);
            try {
                String output;
                try {
                    output = timed(spec, "action", () -> spec.action().run(live));
                } finally {
                    plan = live.close();
                }
                timed(spec, "verify", () -> {
                    spec.verify().verify();
                    return null;
                });
                RecoveryPlan succeeded = transition(plan.withStep(step.succeeded(now(), output), now()));
                LOG.info(plan.tag() + " step " + spec.name() + " SUCCEEDED: " + output);
                listener.stepFinished(succeeded, succeeded.step(index), Duration.between(began, now()));
                return succeeded;
            } catch (StepAttemptException e) {
                if (e.fatal) {
                    return failStep(plan, step, spec, began, e.getMessage());
                }
                if (step.attempts() >= spec.retry().maxAttempts()) {
                    return failStep(plan, step, spec, began,
                            "failed after " + step.attempts() + (step.attempts() == 1 ? " attempt: " : " attempts: ") + e.getMessage());
                }
                Duration delay = spec.retry().backoff().delayAfter(step.attempts());
                LOG.warning(plan.tag() + " step " + spec.name() + " attempt " + step.attempts() + " failed: "
                        + e.getMessage() + "; retrying in " + delay.toMillis() + " ms");
                plan = transition(plan.withStep(step.note("attempt " + step.attempts() + " failed: "
                        + e.getMessage()), now()));
                sleeper.sleep(delay);
            }
        }
    }

    /**
     * A running step's output so far, stored and published as its output at most once per
     * {@link #LIVE_OUTPUT_INTERVAL} (the first at once). Closed before the engine stores the step's next
     * transition, so a late line from a timed-out action never overwrites the result.
     */
    private final class LiveStepOutput implements LiveOutput {

        private final int index;
        private RecoveryPlan plan;
        private Instant lastShown;
        private boolean closed;

        LiveStepOutput(RecoveryPlan plan, int index) {
            this.plan = plan;
            this.index = index;
        }

        @Override
        public synchronized void show(String soFar) {
            Instant now = now();
            if (closed || (lastShown != null && now.isBefore(lastShown.plus(LIVE_OUTPUT_INTERVAL)))) {
                return;
            }
            lastShown = now;
            try {
                plan = transition(plan.withStep(plan.step(index).note(soFar), now));
            } catch (RuntimeException e) {
                // the step's result is stored all the same; a lost glimpse of its progress is not worth failing it
                LOG.log(Level.WARNING, plan.tag() + " step " + plan.step(index).name() + ": live output not stored: "
                        + e.getMessage());
            }
        }

        /** @return the plan as last stored, whose sequence the engine's next transition follows */
        synchronized RecoveryPlan close() {
            closed = true;
            return plan;
        }
    }

    private RecoveryPlan failStep(RecoveryPlan plan, PlanStep step, StepSpec spec, Instant began, String why)
            throws InterruptedException {
        PlanStep failed = step.failed(now(), why);
        RecoveryPlan stored = transition(plan.failed(failed, "step " + spec.name() + " " + why, now()));
        LOG.severe(plan.tag() + " step " + spec.name() + " FAILED, plan FAILED: " + why);
        listener.stepFinished(stored, stored.step(step.index()), Duration.between(began, now()));
        listener.planFinished(stored);
        return stored;
    }

    private RecoveryPlan finish(RecoveryPlan plan) {
        RecoveryPlan stored = transition(plan);
        listener.planFinished(stored);
        return stored;
    }

    private RecoveryPlan transition(RecoveryPlan plan) {
        store.save(plan);
        listener.transitioned(plan);
        return plan;
    }

    private <T> T timed(StepSpec spec, String part, Callable<T> call) throws InterruptedException {
        Future<T> future = stepExecutor.submit(call);
        try {
            return future.get(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StepAttemptException(part + " timed out after " + seconds(spec.timeout()) + " s", true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            throw new StepAttemptException(reason, cause instanceof StepSpec.FatalStepException);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    /** 30 for 30 s, 0.05 for 50 ms. */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
    }

    private Optional<String> cancelRequest(RecoveryPlan plan) {
        try {
            return store.cancelRequested(plan.id());
        } catch (RuntimeException e) {
            LOG.warning(plan.tag() + " cannot read a cancel request (" + e.getMessage() + "): going on");
            return Optional.empty();
        }
    }

    private static long doneSteps(RecoveryPlan plan) {
        return plan.steps().stream().filter(s -> s.state().isDone()).count();
    }

    private static void checkSameSteps(RecoveryPlan plan, List<StepSpec> specs) {
        List<String> stored = plan.steps().stream().map(PlanStep::name).toList();
        List<String> known = specs.stream().map(StepSpec::name).toList();
        if (!stored.equals(known)) {
            throw new IllegalStateException("stored steps " + stored + " do not match plan " + plan.plan() + " " + known);
        }
    }

    private Instant now() {
        return clock.instant();
    }

    /** One attempt of a step part failed; the message says why. */
    static final class StepAttemptException extends RuntimeException {
        /** Another attempt cannot help (timed out, or a {@link StepSpec.FatalStepException}). */
        final boolean fatal;

        StepAttemptException(String message, boolean fatal) {
            super(message);
            this.fatal = fatal;
        }
    }
}
