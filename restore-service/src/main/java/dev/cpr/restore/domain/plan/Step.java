package dev.cpr.restore.domain.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One step of a plan, declared once, in one chain that reads like the runbook:
 * <pre>
 * step(MEMBER_REMOVE, "remove " + member + " from the member list").destructive().timeout(Duration.ofSeconds(20))
 *         .check(this::notListed).run(this::removeMember).verify(this::verifyNotListed)
 * </pre>
 * The same declaration gives the stored outline ({@link #pending}) and what the engine runs ({@link #spec}), so a
 * step's text can never drift from its code. Defaults: not destructive, a 30 s timeout, {@link RetryPolicy#DEFAULT},
 * no check (the action always runs), nothing to verify.
 */
public final class Step {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final String description;
    private boolean destructive;
    private Duration timeout = DEFAULT_TIMEOUT;
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private StepSpec.Check check = StepSpec.never();
    private StepSpec.Action action;
    private StepSpec.Verify verify = StepSpec.nothing();

    private Step(String name, String description) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
    }

    public static Step step(String name, String description) {
        return new Step(name, description);
    }

    /** It changes the cluster in a way that cannot be undone (approval rules and the console say so). */
    public Step destructive() {
        this.destructive = true;
        return this;
    }

    public Step destructive(boolean destructive) {
        this.destructive = destructive;
        return this;
    }

    public Step timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    public Step retry(RetryPolicy retry) {
        this.retry = Objects.requireNonNull(retry, "retry");
        return this;
    }

    /** Is the work already done (the step is then SKIPPED with the answer)? */
    public Step check(StepSpec.Check check) {
        this.check = Objects.requireNonNull(check, "check");
        return this;
    }

    public Step run(StepSpec.Action action) {
        this.action = Objects.requireNonNull(action, "action");
        return this;
    }

    /** An action that shows its output while it runs (a long playbook, for instance). */
    public Step runShowingOutput(StepSpec.LiveAction action) {
        return run(StepSpec.Action.showingOutput(action));
    }

    public Step verify(StepSpec.Verify verify) {
        this.verify = Objects.requireNonNull(verify, "verify");
        return this;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The same step under another name: a plan's steps reused inside a bigger plan, one set per member. */
    public Step named(String otherName) {
        return reused(otherName, description, UnaryOperator.identity());
    }

    /**
     * The same step under another name and text, its check wrapped: a plan's step reused inside a bigger plan that
     * may decide the step is not needed at all.
     */
    public Step reused(String otherName, String otherDescription, UnaryOperator<StepSpec.Check> wrapCheck) {
        Step copy = new Step(otherName, otherDescription);
        copy.destructive = destructive;
        copy.timeout = timeout;
        copy.retry = retry;
        copy.check = wrapCheck.apply(check);
        copy.action = action;
        copy.verify = verify;
        return copy;
    }

    /** What the engine runs. */
    public StepSpec spec() {
        if (action == null) {
            throw new IllegalStateException("step " + name + " has no action: declare it with run(...)");
        }
        return new StepSpec(name, description, destructive, timeout, retry, check, action, verify);
    }

    /** The step as stored when the plan is made, nothing done yet. */
    public PlanStep pending(int index) {
        return PlanStep.pending(index, name, description, destructive);
    }

    /** The stored outline of these steps, in order. */
    public static List<PlanStep> outline(List<Step> steps) {
        List<PlanStep> outline = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            outline.add(steps.get(i).pending(i));
        }
        return outline;
    }

    /** What the engine runs for these steps, in order. */
    public static List<StepSpec> specs(List<Step> steps) {
        return steps.stream().map(Step::spec).toList();
    }
}
